import { protocolOf } from '../../sim/protocols';
import type { MessageType, ProtocolMode } from '../../sim/types';
import { colourClass } from '../graph/palette';
import { readPalette, type ExportPalette } from './palette';
import { downloadBlob, svgToPng } from './download';
import type { PictureFormat } from './diagramExport';
import { legendSvg } from './legend';
import { escapeXml, SVG_NS, XML_HEADER } from './svgText';

/** A message painted on the graph's canvas (large n), placed by the same rule as the canvas places it. */
export interface PaintedDot {
  x: number;
  y: number;
  r: number;
  type: MessageType;
}

export interface GraphPicture {
  /** The graph as drawn on the page (its viewBox is the picture's coordinate system). */
  svg: SVGSVGElement;
  /** The messages the canvas paints (at large n), or none when they are SVG elements already. */
  dots: readonly PaintedDot[];
  n: number;
  f: number;
  seed: number;
  mode: ProtocolMode | undefined;
  now: number;
}

/** Presentation properties copied from the page's computed style: the colours of the current theme, resolved. */
const SHAPE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity', 'opacity'];
const TEXT_PROPS = [...SHAPE_PROPS, 'paint-order', 'font-size', 'font-weight', 'font-style', 'font-family', 'text-anchor', 'letter-spacing'];
const SHAPES = new Set(['circle', 'ellipse', 'line', 'path', 'polygon', 'polyline', 'rect']);
const TEXTS = new Set(['text', 'tspan']);
/** What a picture for slides leaves out: interaction marks (focus, selection rings, a stroke being drawn) and invisible hit areas. */
const CHROME = '.focus-ring, .selected-ring, .arrow-hit, .drawing, title';
/** Attributes that only mean something on the page. */
const PAGE_ATTRIBUTES = /^(role|tabindex|focusable|aria-.*|on.*)$/i;

/** `8px, 4px` → `8 4`, `24px` → `24`: an attribute reads plain user units in every SVG reader. */
function plain(value: string): string {
  return value.replace(/(\d)px\b/g, '$1').replace(/,\s*/g, ' ');
}

/**
 * Copies each element's computed presentation into attributes of its clone (so the custom properties of the current
 * theme are resolved into plain colours), drops what is invisible or interactive, and strips the page's attributes.
 */
function inlineStyles(original: Element, copy: Element): void {
  const originals = [original, ...original.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  const drop: Element[] = [];
  originals.forEach((el, i) => {
    const out = copies[i];
    const name = el.localName;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.matches(CHROME)) {
      drop.push(out);
      return;
    }
    for (const attr of [...out.attributes]) if (PAGE_ATTRIBUTES.test(attr.name)) out.removeAttribute(attr.name);
    const props = TEXTS.has(name) ? TEXT_PROPS : SHAPES.has(name) ? SHAPE_PROPS : name === 'g' ? ['opacity'] : [];
    for (const prop of props) {
      const value = style.getPropertyValue(prop).trim();
      if (!value || value === 'normal' || (prop === 'opacity' && value === '1') || (prop === 'stroke-dasharray' && value === 'none')) continue;
      out.setAttribute(prop, plain(value));
    }
  });
  for (const el of drop) el.remove();
}

function dotsSvg(dots: readonly PaintedDot[], palette: ExportPalette): Element {
  const group = document.createElementNS(SVG_NS, 'g');
  group.setAttribute('class', 'messages');
  for (const d of dots) {
    const c = document.createElementNS(SVG_NS, 'circle');
    c.setAttribute('class', `msg ${colourClass(d.type)}`);
    c.setAttribute('cx', d.x.toFixed(1));
    c.setAttribute('cy', d.y.toFixed(1));
    c.setAttribute('r', String(d.r));
    c.setAttribute('fill', palette.message[d.type]);
    c.setAttribute('stroke', palette.outline);
    c.setAttribute('stroke-width', '1');
    group.append(c);
  }
  return group;
}

/**
 * The graph as a self-contained SVG: the page's own drawing (real text, its shapes), every colour resolved from the
 * current theme, interaction marks and the page's attributes removed, the painted messages of a large run added as
 * circles, a heading above and the legend below.
 */
export function graphSvg(p: GraphPicture, palette: ExportPalette): string {
  const copy = p.svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(p.svg, copy);
  const [vx, vy, vw, vh] = (p.svg.getAttribute('viewBox') ?? '0 0 1200 720').split(/[\s,]+/).map(Number);
  const heading = 44;
  const legend = legendSvg(protocolOf(p.mode), palette, { x: vx + 24, y: vy + vh + 8, width: vw - 48, fontSize: 22, marks: 'graph' });
  const total = Math.ceil(heading + vh + legend.height + 20);

  const title = `PBFT Lab · n = ${p.n}, f = ${p.f}, seed ${p.seed} · t = ${p.now.toFixed(1)} ms`;
  const background = `<rect class="background" x="${vx}" y="${vy - heading}" width="${vw}" height="${total}" fill="${escapeXml(palette.background)}"/>`;
  const headingText = `<text class="heading" x="${vx + 24}" y="${vy - 12}" font-size="24" font-weight="700" fill="${escapeXml(palette.ink)}">${escapeXml(title)}</text>`;
  // The page's graph, as a group (its own size and viewBox are the outer picture's now).
  const group = document.createElementNS(SVG_NS, 'g');
  group.setAttribute('class', 'graph');
  for (const [name, value] of [...copy.attributes].map((a) => [a.name, a.value] as const)) {
    if (!/^(class|viewBox|preserveAspectRatio|width|height|xmlns|style)$/i.test(name)) group.setAttribute(name, value);
  }
  group.append(...copy.childNodes);
  if (p.dots.length > 0) {
    // Under the nodes, as on the page.
    const replicas = group.querySelector('.replicas');
    group.insertBefore(dotsSvg(p.dots, palette), replicas ?? null);
  }
  const body = new XMLSerializer().serializeToString(group);
  const root = `<svg xmlns="${SVG_NS}" width="${vw}" height="${total}" viewBox="${vx} ${vy - heading} ${vw} ${total}" font-family="${escapeXml(palette.font)}">`;
  return `${XML_HEADER}${root}<title>PBFT Lab: the replicas and the client</title><desc>${escapeXml(title)}</desc>${background}${headingText}${body}${legend.svg}</svg>`;
}

export async function exportGraph(p: GraphPicture, format: PictureFormat): Promise<void> {
  const svg = graphSvg(p, readPalette());
  const name = `pbft-lab-graph-n${p.n}-seed${p.seed}-t${Math.round(p.now)}`;
  if (format === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
  else downloadBlob(await svgToPng(svg), `${name}.png`);
}

