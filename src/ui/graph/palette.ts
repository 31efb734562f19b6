import type { MessageType } from '../../sim/types';

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). The colours themselves
 * live in styles.css as --msg-* so the dark theme can adjust them; this is the short label inside each dot,
 * so colour is never the only cue.
 */
export const MESSAGE_ABBREVIATION: Record<MessageType, string> = {
  REQUEST: 'Rq',
  PRE_PREPARE: 'PP',
  PREPARE: 'P',
  COMMIT: 'C',
  REPLY: 'R',
  CHECKPOINT: 'CP',
  VIEW_CHANGE: 'VC',
  NEW_VIEW: 'NV',
};

export function messageClass(type: MessageType): string {
  return `msg msg-${type.toLowerCase().replace('_', '-')}`;
}
