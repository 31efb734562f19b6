import type { ProtocolDescriptor } from '../../sim/protocols';
import type { ExportPalette } from './palette';
import { inkOn } from './palette';
import { tag, text } from './svgText';

export interface LegendOptions {
  x: number;
  y: number;
  /** Room across; entries wrap onto more rows beyond it. */
  width: number;
  fontSize: number;
  /** The diagram's marks (lost ✕, in flight dashed) or the graph's (primary, malicious). */
  marks: 'diagram' | 'graph';
}

/**
 * The legend of an exported picture, as on the page: each of the protocol's messages as a dot in its colour with its
 * abbreviation and name, then what the marks mean. Returns the SVG and the height it takes.
 */
export function legendSvg(protocol: ProtocolDescriptor, palette: ExportPalette, o: LegendOptions): { svg: string; height: number } {
  const r = o.fontSize * 0.62;
  const rowHeight = o.fontSize * 1.7;
  // A rough advance per character: enough to keep entries apart without measuring text.
  const advance = o.fontSize * 0.62;
  const entries: Array<{ width: number; draw(x: number, y: number): string }> = [];
  for (const m of protocol.messages) {
    const fill = palette.message[m.type];
    entries.push({
      width: 2 * r + 6 + m.label.length * advance,
      draw: (x, y) =>
        tag(
          'g',
          { class: 'legend-entry', 'data-type': m.type },
          tag('circle', { cx: x + r, cy: y, r, fill, stroke: palette.outline, 'stroke-width': 1 }),
          text({ x: x + r, y, dy: '0.35em', 'text-anchor': 'middle', 'font-size': r * 0.95, 'font-weight': 700, fill: inkOn(fill) }, m.abbreviation),
          text({ x: x + 2 * r + 6, y, dy: '0.35em', 'font-size': o.fontSize, fill: palette.ink }, m.label),
        ),
    });
  }
  const mark = (label: string, glyph: (x: number, y: number) => string) =>
    entries.push({
      width: 2 * r + 6 + label.length * advance,
      draw: (x, y) => tag('g', { class: 'legend-entry' }, glyph(x, y), text({ x: x + 2 * r + 6, y, dy: '0.35em', 'font-size': o.fontSize, fill: palette.ink }, label)),
    });
  const cross = (x: number, y: number) =>
    tag('path', { d: `M${x + 2},${y - r + 2}L${x + 2 * r - 2},${y + r - 2}M${x + 2},${y + r - 2}L${x + 2 * r - 2},${y - r + 2}`, stroke: palette.lost, 'stroke-width': 3, 'stroke-linecap': 'round', fill: 'none' });
  mark('lost', cross);
  if (o.marks === 'diagram') {
    mark('in flight', (x, y) => tag('line', { x1: x, y1: y, x2: x + 2 * r, y2: y, stroke: palette.ink, 'stroke-width': 2, 'stroke-dasharray': '4 3' }));
    mark('current time', (x, y) => tag('line', { x1: x, y1: y, x2: x + 2 * r, y2: y, stroke: palette.accent, 'stroke-width': 2 }));
  } else {
    mark('primary', (x, y) => text({ x: x + r, y, dy: '0.35em', 'text-anchor': 'middle', 'font-size': o.fontSize * 1.1, fill: palette.ink }, '♛'));
    mark('malicious', (x, y) => text({ x: x + r, y, dy: '0.35em', 'text-anchor': 'middle', 'font-size': o.fontSize * 1.1, fill: palette.ink }, '☠'));
  }
  const gap = o.fontSize * 1.1;
  let x = o.x;
  let y = o.y + rowHeight / 2;
  const parts: string[] = [];
  for (const e of entries) {
    if (x > o.x && x + e.width > o.x + o.width) {
      x = o.x;
      y += rowHeight;
    }
    parts.push(e.draw(x, y));
    x += e.width + gap;
  }
  const height = y + rowHeight / 2 - o.y;
  return { svg: tag('g', { class: 'legend', 'font-family': palette.font }, ...parts), height };
}
