import { useId } from 'react';
import { protocolOf } from '../sim/protocols';
import { useLab } from '../store/context';
import { nodeName } from '../store/describe';
import type { SimStats } from '../sim/types';
import type { LabState } from '../store/labStore';
import { useCrowdedInterval, useThrottledLab } from './useThrottledLab';
import { injectRenderFault } from './faults';

function Stat({ term, value, tone, name }: { term: string; value: string; tone?: 'alarm'; name?: string }) {
  const id = useId();
  return (
    <div className={`stat ${tone ?? ''}`}>
      <dt>
        <label htmlFor={id}>{term}</label>
      </dt>
      {/* An <output> labelled by its term (or `name`), so tests and assistive tech can ask for "Requests committed"
          directly; aria-live off because these change many times a second while playing. */}
      <dd>
        <output id={id} aria-live="off" aria-label={name}>
          {value}
        </output>
      </dd>
    </div>
  );
}

interface Shown {
  now: number;
  stats: SimStats | null;
}
const selectShown = (s: LabState): Shown => ({ now: s.timeline.now, stats: s.timeline.stats });
const sameShown = (a: Shown, b: Shown) => a.now === b.now && a.stats === b.stats;

/** The run's counters: exact, always (at large n, while playing, refreshed ten times a second). */
export function StatusPanel() {
  const { now, stats } = useThrottledLab(selectShown, sameShown, useCrowdedInterval());
  const protocol = protocolOf(useLab((s) => s.scenario.mode));
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} ms`);
  const violations = stats?.violations.length ?? 0;
  // The ?fault=render test aid (see faults.ts): a rendering error the error boundary must catch.
  injectRenderFault((stats?.committed ?? 0) > 0);
  return (
    <section className="panel status" aria-labelledby="status-heading">
      <h2 id="status-heading">Status</h2>
      <dl>
        <Stat term="Virtual time" value={ms(now)} />
        <Stat term="View" value={String(stats?.view ?? 0)} />
        <Stat term="Primary" value={stats ? nodeName(stats.primary) : '—'} />
        <Stat term="Requests committed" value={String(stats?.committed ?? 0)} />
        <Stat term="Messages sent" value={String(stats?.sentTotal ?? 0)} />
        <Stat term="Delivered" value={String(stats?.delivered ?? 0)} />
        <Stat term="Dropped" value={String(stats?.dropped ?? 0)} />
        <Stat term="Held at the cut" value={String(stats?.held ?? 0)} />
        <Stat term="Last latency" value={ms(stats?.lastLatencyMs)} />
        <Stat term="Client fooled" value={String(stats?.fooled ?? 0)} tone={(stats?.fooled ?? 0) > 0 ? 'alarm' : undefined} />
        <Stat term="Safety violations" value={String(violations)} tone={violations > 0 ? 'alarm' : undefined} />
      </dl>
      {/* Messages sent by type, in the legend's order: the arrows a space-time diagram (or its exported SVG) draws. */}
      <h3 className="by-type-heading">Sent by type</h3>
      <dl className="by-type">
        {protocol.messages.map((m) => (
          <Stat key={m.type} term={m.label} name={`${m.label} sent`} value={String(stats?.sent[m.type] ?? 0)} />
        ))}
      </dl>
    </section>
  );
}
