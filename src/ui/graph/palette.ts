import { messageWords } from '../../sim/protocols';
import { MESSAGE_TYPES, type MessageType } from '../../sim/types';

/**
 * The short label inside each dot, so colour is never the only cue (from the protocols' vocabulary). The colours
 * themselves (Okabe–Ito, distinguishable with the common colour-vision deficiencies) live in styles.css as --msg-*,
 * so the dark theme can adjust them.
 */
export const MESSAGE_ABBREVIATION = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, messageWords(t).abbreviation])) as Record<MessageType, string>;

/** The class that gives a message its colour (styles.css: .msg-pre-prepare, …). */
export function colourClass(type: MessageType): string {
  return `msg-${messageWords(type).colour}`;
}

export function messageClass(type: MessageType): string {
  return `msg ${colourClass(type)}`;
}
