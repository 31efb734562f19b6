import { messageWords } from '../../sim/protocols';
import { MESSAGE_TYPES, type MessageType } from '../../sim/types';

/**
 * The current theme's colours, resolved from the style sheet's custom properties (styles.css), for a picture that
 * must carry its colours with it: an exported SVG has no style sheet.
 */
export interface ExportPalette {
  background: string;
  ink: string;
  muted: string;
  line: string;
  node: string;
  accent: string;
  lost: string;
  outline: string;
  message: Record<MessageType, string>;
  font: string;
}

const FALLBACK: Omit<ExportPalette, 'message'> = {
  background: '#ffffff',
  ink: '#1b1b1b',
  muted: '#5a5a5a',
  line: '#d5d5d0',
  node: '#333333',
  accent: '#0072b2',
  lost: '#d55e00',
  outline: '#1b1b1b',
  font: 'system-ui, sans-serif',
};

export function readPalette(el: Element = document.documentElement): ExportPalette {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--panel', FALLBACK.background),
    ink: read('--ink', FALLBACK.ink),
    muted: read('--muted', FALLBACK.muted),
    line: read('--line', FALLBACK.line),
    node: read('--node-stroke', FALLBACK.node),
    accent: read('--accent', FALLBACK.accent),
    lost: read('--bad-stroke', FALLBACK.lost),
    outline: read('--msg-outline', FALLBACK.outline),
    message: Object.fromEntries(MESSAGE_TYPES.map((t) => [t, read(`--msg-${messageWords(t).colour}`, '#888888')])) as Record<MessageType, string>,
    font: getComputedStyle(document.documentElement).fontFamily || FALLBACK.font,
  };
}

/** Dark or light letters on a message's colour, whichever reads better (the page's dots do the same by type). */
export function inkOn(colour: string): string {
  const rgb = parseColour(colour);
  if (!rgb) return '#ffffff';
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.3 ? '#1b1b1b' : '#ffffff';
}

function parseColour(colour: string): [number, number, number] | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const rgb = /^rgba?\(\s*(\d+)[ ,]+(\d+)[ ,]+(\d+)/i.exec(colour.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}
