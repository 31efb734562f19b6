import { messageWords } from '../../sim/protocols';
import { MESSAGE_TYPES, type MessageType } from '../../sim/types';

/** The CSS custom property holding a type's colour (styles.css), so canvas and SVG share one palette. */
function colourVar(type: MessageType): string {
  return `--msg-${messageWords(type).colour}`;
}

export interface CanvasColours {
  fill: Record<MessageType, string>;
  outline: string;
  lost: string;
  select: string;
}

/** The palette as the element's theme resolves it (read again when the theme or the colour scheme changes). */
export function readColours(el: Element): CanvasColours {
  const style = getComputedStyle(el);
  const fill = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, style.getPropertyValue(colourVar(t)).trim() || '#888'])) as Record<MessageType, string>;
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
