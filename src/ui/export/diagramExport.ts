import { protocolOf } from '../../sim/protocols';
import { CLIENT, type ProtocolMode, type ReplicaSummary } from '../../sim/types';
import { nodeName, typeLabel } from '../../store/describe';
import type { MessageRecord } from '../../store/replay';
import { thinningNote } from '../../store/thinning';
import { EXPORT_ARROWS_PER_TYPE } from '../drawingRules';
import {
  arrowEnds,
  arrowHead,
  diagramContent,
  diagramGeometry,
  ARROW_HEAD,
  FLYING_FRONT,
  flightWords,
  lifelineLabels,
  LOST_CROSS,
  lostCross,
  type DiagramArrow,
} from '../diagram/arrows';
import { downloadBlob, svgToPng } from './download';
import { legendSvg } from './legend';
import { readPalette, type ExportPalette } from './palette';
import { escapeXml, tag, text, XML_HEADER, SVG_NS } from './svgText';

/** The moment and window the diagram shows, and its size on screen: everything its picture is drawn from. */
export interface DiagramPicture {
  n: number;
  f: number;
  seed: number;
  mode: ProtocolMode | undefined;
  replicas: readonly ReplicaSummary[];
  messages: readonly MessageRecord[];
  maxTransit: number;
  cursor: number;
  viewTime: number;
  t0: number;
  t1: number;
  width: number;
  height: number;
  /** The page's type size against 16 px, as on screen (1 when left out). */
  unit?: number;
}

/** Smallest exported size: a small frame on screen still makes a readable slide. */
const MIN_WIDTH = 560;
const MIN_HEIGHT = 420;

function arrowSvg(a: DiagramArrow, ends: ReturnType<typeof arrowEnds>, palette: ExportPalette, unit: number): string {
  const m = a.message;
  const colour = palette.message[m.type];
  const { x1, y1, x2, y2 } = ends;
  const parts = [tag('line', { x1, y1, x2, y2, stroke: colour, 'stroke-width': 2 * unit, 'stroke-dasharray': a.state === 'flying' ? '4 3' : undefined })];
  if (a.state === 'delivered') parts.push(tag('polygon', { points: arrowHead(ends, ARROW_HEAD * unit).map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '), fill: colour }));
  else if (a.state === 'lost')
    parts.push(tag('path', { d: lostCross(x2, y2, LOST_CROSS * unit).map(([p, q, r, s]) => `M${p},${q}L${r},${s}`).join(''), stroke: palette.lost, 'stroke-width': 4 * unit, 'stroke-linecap': 'round', fill: 'none' }));
  else parts.push(tag('circle', { cx: x2, cy: y2, r: FLYING_FRONT * unit, fill: colour, stroke: palette.outline, 'stroke-width': 1 }));
  const name =
    a.state === 'delivered'
      ? `${typeLabel(m.type)} ${nodeName(m.from)} → ${nodeName(m.to)}, t=${m.sendT.toFixed(1)}–${a.arriveAt.toFixed(1)}`
      : `${typeLabel(m.type)} ${nodeName(m.from)} → ${nodeName(m.to)}, ${a.state === 'lost' ? (m.by === 'partition' ? 'lost: the network is partitioned' : 'lost') : flightWords(a)}`;
  return tag(
    'g',
    { class: 'arrow', 'data-type': typeLabel(m.type), 'data-from': m.from === CLIENT ? 'client' : m.from, 'data-to': m.to === CLIENT ? 'client' : m.to, 'data-state': a.state },
    tag('title', {}, escapeXml(name)),
    ...parts,
  );
}

/**
 * The space-time diagram as a self-contained SVG: a title, the time axis, one lifeline per node (the client first, as
 * in Castro and Liskov's Figure 1), one arrow per message sent in the window (not thinned as the screen is, up to
 * EXPORT_ARROWS_PER_TYPE per type), the current time, and the legend. The arrows' geometry is the one the page draws
 * with, on SVG and on canvas alike (diagram/arrows.ts).
 */
export function diagramSvg(p: DiagramPicture, palette: ExportPalette): string {
  const width = Math.max(MIN_WIDTH, Math.round(p.width));
  const height = Math.max(MIN_HEIGHT, Math.round(p.height));
  const unit = p.unit ?? 1;
  const g = diagramGeometry(p.n, width, height, p.t0, p.t1, unit);
  const M = g.margin;
  const content = diagramContent(p.messages, p.cursor, p.viewTime, p.t0, p.t1, p.maxTransit, EXPORT_ARROWS_PER_TYPE);
  const protocol = protocolOf(p.mode);
  const titleHeight = 34;
  const legend = legendSvg(protocol, palette, { x: 12, y: titleHeight + height + 6, width: width - 24, fontSize: 13, marks: 'diagram' });
  const total = Math.ceil(titleHeight + height + legend.height + 14);

  const ticks = g.y.ticks(Math.max(2, Math.floor(height / 60)));
  const axis = ticks.map((t) =>
    tag(
      'g',
      { class: 'tick' },
      tag('line', { x1: M.left - 4, x2: width - M.right, y1: g.y(t), y2: g.y(t), stroke: palette.line, 'stroke-width': 1 }),
      text({ x: M.left - 6, y: g.y(t), dy: '0.35em', 'text-anchor': 'end', 'font-size': 11 * unit, fill: palette.muted }, String(t)),
    ),
  );
  const { size: headerSize, every } = lifelineLabels(g.laneWidth, unit);
  const lifelines = Array.from({ length: g.lanes }, (_, k) => {
    const id = k === 0 ? CLIENT : k - 1;
    const r = id === CLIENT ? null : p.replicas[id];
    const x = g.xOf(id);
    const glyph = r ? `${r.isPrimary ? '♛' : ''}${r.behaviour ? '☠' : ''}` : '';
    return tag(
      'g',
      { class: 'lifeline', 'data-node': id === CLIENT ? 'client' : id },
      tag('title', {}, escapeXml(id === CLIENT ? 'Client' : `Replica ${id}${r?.isPrimary ? ' (primary)' : ''}${r?.behaviour ? `, malicious (${r.behaviour.kind})` : ''}`)),
      tag('line', { x1: x, x2: x, y1: M.top - 6 * unit, y2: height - M.bottom, stroke: palette.node, 'stroke-width': 1.5 * unit, 'stroke-opacity': 0.7, 'stroke-dasharray': r?.behaviour ? '6 4' : undefined }),
      k % every === 0 ? text({ x, y: M.top - 22 * unit, 'text-anchor': 'middle', 'font-size': headerSize, 'font-weight': 700, fill: palette.ink }, id === CLIENT ? 'C' : String(id)) : '',
      glyph && g.laneWidth > 14 ? text({ x, y: M.top - 8 * unit, 'text-anchor': 'middle', 'font-size': headerSize * 0.85, fill: palette.ink }, glyph) : '',
    );
  });
  const arrows = content.arrows.map((a) => arrowSvg(a, arrowEnds(a, g), palette, unit));
  const cursorY = Math.min(g.y(p.viewTime), height - M.bottom);
  const cursor = tag(
    'g',
    { class: 'time-cursor' },
    tag('line', { x1: M.left - 4, x2: width - M.right, y1: cursorY, y2: cursorY, stroke: palette.accent, 'stroke-width': 2 * unit }),
    text({ x: width - M.right - 2, y: cursorY, dy: '-0.3em', 'text-anchor': 'end', 'font-size': 12 * unit, 'font-weight': 700, fill: palette.accent }, `t=${p.viewTime.toFixed(1)}`),
  );
  const note = thinningNote(content.strides, p.n);
  const heading = `PBFT Lab · space-time diagram · n = ${p.n}, f = ${p.f}, seed ${p.seed} · ${content.delivered} delivered, ${content.lost} lost, ${content.flying} in flight${note ? ` · ${note}` : ''}`;
  return (
    XML_HEADER +
    tag(
      'svg',
      { xmlns: SVG_NS, width, height: total, viewBox: `0 0 ${width} ${total}`, 'font-family': palette.font },
      tag('title', {}, 'PBFT Lab: space-time diagram'),
      tag('desc', {}, escapeXml(heading)),
      tag('rect', { class: 'background', x: 0, y: 0, width, height: total, fill: palette.background }),
      text({ class: 'heading', x: 12, y: 22, 'font-size': 14, 'font-weight': 700, fill: palette.ink }, heading),
      tag(
        'g',
        { class: 'diagram', transform: `translate(0,${titleHeight})` },
        tag('g', { class: 'time-axis' }, ...axis),
        tag('g', { class: 'lifelines' }, ...lifelines),
        tag('g', { class: 'arrows' }, ...arrows),
        cursor,
      ),
      legend.svg,
    )
  );
}

export type PictureFormat = 'svg' | 'png';

/** Saves the diagram as drawn now, in the current theme's colours. */
export async function exportDiagram(p: DiagramPicture, format: PictureFormat): Promise<void> {
  const svg = diagramSvg(p, readPalette());
  const name = `pbft-lab-space-time-n${p.n}-seed${p.seed}-t${Math.round(p.viewTime)}`;
  if (format === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
  else downloadBlob(await svgToPng(svg), `${name}.png`);
}
