import { MESSAGE_TYPES, type MessageType } from '../../sim/types';

/** CSS custom property holding each type's colour (styles.css), so canvas and SVG share one palette. */
const COLOUR_VAR: Record<MessageType, string> = {
  REQUEST: '--msg-request',
  PRE_PREPARE: '--msg-pre-prepare',
  PREPARE: '--msg-prepare',
  COMMIT: '--msg-commit',
  REPLY: '--msg-reply',
  CHECKPOINT: '--msg-checkpoint',
  VIEW_CHANGE: '--msg-view-change',
  NEW_VIEW: '--msg-new-view',
};

export interface CanvasColours {
  fill: Record<MessageType, string>;
  outline: string;
  lost: string;
  select: string;
}

/** The palette as the element's theme resolves it (read again when the theme or the colour scheme changes). */
export function readColours(el: Element): CanvasColours {
  const style = getComputedStyle(el);
  const fill = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, style.getPropertyValue(COLOUR_VAR[t]).trim() || '#888'])) as Record<MessageType, string>;
  return {
    fill,
    outline: style.getPropertyValue('--msg-outline').trim() || '#000',
    lost: style.getPropertyValue('--bad-stroke').trim() || '#d55e00',
    select: style.getPropertyValue('--select').trim() || '#000',
  };
}

/**
 * Sizes a canvas's backing store to its CSS box (`width` × `height` CSS pixels, as a ResizeObserver reported them:
 * reading the element's size in an animation frame would force a layout) at the device pixel ratio; true when it
 * changed (and was cleared).
 */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): boolean {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}
