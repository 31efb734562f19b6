import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/scenario';
import { Session } from '../../sim/session';
import { MESSAGE_TYPES, type MessageType } from '../../sim/types';
import { typeLabel } from '../../store/describe';
import { emptyRun, mergeEvents } from '../../store/replay';
import { diagramSvg } from './diagramExport';
import type { ExportPalette } from './palette';

const palette: ExportPalette = {
  background: '#ffffff',
  ink: '#1b1b1b',
  muted: '#5a5a5a',
  line: '#d5d5d0',
  node: '#333333',
  accent: '#0072b2',
  lost: '#d55e00',
  outline: '#1b1b1b',
  message: Object.fromEntries(MESSAGE_TYPES.map((t, i) => [t, `#00000${i}`])) as Record<MessageType, string>,
  font: 'system-ui, "DejaVu Sans", sans-serif',
};

/** A whole run at 3f + 1 replicas, as the page keeps it. */
function normalCase(f: number) {
  const session = new Session(defaultScenario({ f, requests: 1 }));
  session.runUntil(2000);
  const run = emptyRun();
  run.n = session.sim.n;
  mergeEvents(run, 0, session.trace, []);
  return { run, stats: session.sim.stats(), n: session.sim.n };
}

function picture(f: number, width = 480, height = 400) {
  const { run, stats, n } = normalCase(f);
  const svg = diagramSvg(
    { n, f, seed: 1, mode: 'pbft', replicas: [], messages: run.messages, maxTransit: run.maxTransit, cursor: run.length, viewTime: run.endTime, t0: 0, t1: run.endTime, width, height },
    palette,
  );
  return { svg, stats, n };
}

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

describe('the exported space-time diagram', () => {
  it('draws the normal case at n = 4 as Figure 1: five lifelines, one arrow per message, 1 / 3 / 9 / 12 / 4', () => {
    const { svg, stats } = picture(1);
    expect(count(svg, /<g class="lifeline"/g)).toBe(5);
    expect(count(svg, /<g class="arrow"/g)).toBe(stats.sentTotal);
    expect(stats.sentTotal).toBe(29);
    const byType = (type: MessageType) => count(svg, new RegExp(`<g class="arrow" data-type="${typeLabel(type)}"`, 'g'));
    expect([byType('REQUEST'), byType('PRE_PREPARE'), byType('PREPARE'), byType('COMMIT'), byType('REPLY')]).toEqual([1, 3, 9, 12, 4]);
    expect(count(svg, /data-state="delivered"/g)).toBe(29);
  });

  it('is self-contained: colours as attributes, no style sheet, escaped text, a legend, a size', () => {
    const { svg } = picture(1);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="560" height="\d+"/);
    expect(svg).not.toMatch(/var\(|<style|class="focus|tabindex|role=/);
    expect(svg).toContain('font-family="system-ui, &quot;DejaVu Sans&quot;, sans-serif"');
    expect(svg).toContain('<g class="legend"');
    expect(svg).toContain('>PRE-PREPARE</text>');
    expect(svg).toContain('Client → Replica 0');
  });

  it('keeps every arrow at sizes the page paints (n = 10) unless a type passes the export budget', () => {
    const { svg, stats } = picture(3, 900, 600);
    expect(count(svg, /<g class="lifeline"/g)).toBe(11);
    expect(count(svg, /<g class="arrow"/g)).toBe(stats.sentTotal);
  });
});
