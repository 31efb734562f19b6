import { useContext, useMemo } from 'react';
import type { SafetyViolation, TraceEvent } from '../sim/types';
import { LabStoreContext, useLab, useLabActions } from '../store/context';
import { nodeName } from '../store/describe';
import { fooledAcceptance, foolWords, overlapWords, quorumOverlap, stallWords } from '../store/quorums';
import { protocolOf } from '../sim/protocols';
import { quorumText } from '../sim/protocols/descriptor';
import { primaryOf } from '../sim/scenario';
import { eventAt, type RunState } from '../store/replay';

/** The events the page holds up to the violation's moment. */
function eventsUpTo(run: RunState, v: SafetyViolation): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = run.base; i < run.length; i++) {
    const e = eventAt(run, i);
    if (!e) continue;
    out.push(e);
    if (e.kind === 'violation' && e.violation.seq === v.seq && e.violation.rule === v.rule) break;
  }
  return out;
}

function list(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The moment agreement broke, said plainly: which rule, which sequence number, which replicas, and why PBFT could
 * not prevent it (more than f malicious replicas). The run has already paused there.
 */
export function SafetyBanner() {
  const violations = useLab((s) => s.timeline.stats?.violations);
  const f = useLab((s) => s.timeline.f);
  const n = useLab((s) => s.timeline.n);
  const liarCount = useLab((s) => s.timeline.replicas.filter((r) => r.behaviour).length);
  // A twin is a faulty replica too (two honest instances under one identity): it counts towards m.
  const twins = useLab((s) => (s.run.scenario ?? s.scenario).twins?.replicas);
  const mode = useLab((s) => (s.run.scenario ?? s.scenario).mode);
  const m = liarCount + (twins?.length ?? 0);
  const store = useContext(LabStoreContext);
  const { seekEvent } = useLabActions();
  const v = violations?.[0];
  const overlap = useMemo(() => {
    // Read once per violation (not on every batch): which quorums overlapped, and in whom.
    const state = store?.getState();
    if (!v || !state) return null;
    const scenario = state.run.scenario ?? state.scenario;
    const faulty = new Set([...state.timeline.replicas.filter((r) => r.behaviour).map((r) => r.id), ...(scenario.twins?.replicas ?? [])]);
    const found = quorumOverlap(eventsUpTo(state.run, v), v, state.timeline.n, scenario.mode, (id) => faulty.has(id));
    return found ? overlapWords(found, state.timeline.f, scenario.twins?.replicas) : null;
  }, [store, v]);
  if (!violations || violations.length === 0 || !v) return null;
  const showMoment = () => {
    // Read when clicked: subscribing to the run would redraw this banner on every batch.
    const run = store?.getState().run;
    if (!run) return;
    for (let i = run.base; i < run.length; i++) {
      const e = eventAt(run, i);
      if (e?.kind === 'violation' && e.violation.seq === v.seq && e.violation.rule === v.rule) return seekEvent(i);
    }
  };
  const protocol = protocolOf(mode).name;
  const twinWords = twins && twins.length > 0 ? ` (${list(twins.map(String))} run${twins.length === 1 ? 's' : ''} as twins${liarCount > 0 ? `, ${liarCount} lie${liarCount === 1 ? 's' : ''}` : ''})` : '';
  const why =
    m > f
      ? `There are m = ${m} ${twinWords ? 'faulty' : 'malicious'} replicas${twinWords} but ${protocol} tolerates only f = ${f}: two quorums of ${quorumText(f, protocolOf(mode).quorumOf(n, f))} are then no longer sure to share an honest replica, so the honest replicas can be split.`
      : `${protocol[0].toUpperCase()}${protocol.slice(1)} should have prevented this with m = ${m}${twinWords} ≤ f = ${f}; the checker's evidence is below.`;
  return (
    <div className="safety-banner" role="alert">
      <p>
        <strong>
          <span aria-hidden="true">⚠ </span>Safety violated at #{v.seq}: {list(v.replicas.map(nodeName))}{' '}
          {v.rule === 'agreement' ? 'committed different requests' : v.rule === 'total-order' ? 'executed different requests' : `broke ${v.rule}`} ({v.digests.join(' vs ')}).
        </strong>{' '}
        {v.rule === 'agreement' || v.rule === 'total-order' ? '' : `${v.message} `}
        {why}
        {overlap && ` ${overlap}`}
        {violations.length > 1 && ` (${violations.length} violations so far.)`}
      </p>
      <button type="button" className="small" onClick={showMoment}>
        Show the moment
      </button>
    </div>
  );
}

/** The events the page holds up to the moment on screen. */
function eventsOnScreen(run: RunState, cursor: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = run.base; i < Math.min(cursor, run.length); i++) {
    const e = eventAt(run, i);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The client fooled, explained: whose REPLYs made up the f+1 matching ones it accepted, and that no honest replica
 * computed that result. Shown from the moment of the acceptance, in any run (a found attack, a lesson, a run by hand).
 */
export function FooledBanner() {
  const fooled = useLab((s) => s.timeline.stats?.fooled ?? 0);
  const store = useContext(LabStoreContext);
  const { seekEvent } = useLabActions();
  const words = useMemo(() => {
    // Read once per fooled acceptance on screen, not on every batch.
    const state = store?.getState();
    if (fooled === 0 || !state) return null;
    const twins = new Set((state.run.scenario ?? state.scenario).twins?.replicas ?? []);
    const liars = new Set(state.timeline.replicas.filter((r) => r.behaviour).map((r) => r.id));
    const found = fooledAcceptance(eventsOnScreen(state.run, state.cursor), (id) => liars.has(id) || twins.has(id));
    return found ? { text: foolWords(found, state.timeline.f), t: found.t } : null;
  }, [store, fooled]);
  if (!words) return null;
  const showMoment = () => {
    const run = store?.getState().run;
    if (!run) return;
    for (let i = run.base; i < run.length; i++) {
      const e = eventAt(run, i);
      if (e?.kind === 'accept' && e.fooled) return seekEvent(i);
    }
  };
  return (
    <div className="safety-banner attack-banner" role="alert" aria-label="Client fooled">
      <p>
        <strong>
          <span aria-hidden="true">⚠ </span>Client fooled.
        </strong>{' '}
        {words.text}
      </p>
      <button type="button" className="small" onClick={showMoment}>
        Show the moment
      </button>
    </div>
  );
}

/**
 * A stall the search found, explained at its moment (the network calm since the schedule ended, the bound passed): which
 * request waits, since when, and which quorum cannot form. Shown only for the run opened from that attack.
 */
export function StallBanner() {
  const stall = useLab((s) => {
    const a = s.openedAttack;
    return a && a.goal === 'stall' && a.generation === s.run.generation && a.violation?.calmSince !== undefined ? a.violation : null;
  });
  const moment = stall ? stall.calmSince! + (stall.boundMs ?? 0) : Number.POSITIVE_INFINITY;
  const reached = useLab((s) => s.timeline.now >= moment);
  const outstanding = useLab((s) => s.timeline.stats?.outstanding ?? 0);
  const store = useContext(LabStoreContext);
  const words = useMemo(() => {
    const state = store?.getState();
    if (!stall || !reached || outstanding === 0 || !state) return null;
    const events = eventsOnScreen(state.run, state.cursor);
    const digest = stall.digests[0] ?? '';
    const issued = events.find((e) => e.kind === 'request' && e.digest === digest);
    // Accepted after all (the run on screen went on differently): nothing to explain.
    if (issued?.kind === 'request' && events.some((e) => e.kind === 'accept' && e.timestamp === issued.timestamp)) return null;
    const scenario = state.run.scenario ?? state.scenario;
    const protocol = protocolOf(scenario.mode);
    return stallWords({
      events,
      replicas: state.timeline.replicas,
      n: state.timeline.n,
      f: state.timeline.f,
      twins: scenario.twins?.replicas ?? [],
      digest,
      calmSince: stall.calmSince!,
      boundMs: stall.boundMs ?? 0,
      viewChange: protocol.picture.viewChange,
      // Tendermint's first proposer is (1 + 0) mod n, which no event names; the others lead view 0 with replica 0.
      firstLeader: protocol.mode === 'tendermint' ? null : primaryOf(0, state.timeline.n),
    });
  }, [store, stall, reached, outstanding]);
  if (!words) return null;
  return (
    <div className="safety-banner attack-banner" role="alert" aria-label="Stalled">
      <p>
        <strong>
          <span aria-hidden="true">⚠ </span>Stalled.
        </strong>{' '}
        {words}
      </p>
    </div>
  );
}

/** Values the URL could not supply, and an import that failed: visible, dismissible, never blocking. */
export function Notices() {
  const notices = useLab((s) => s.notices);
  const importError = useLab((s) => s.importError);
  const { dismissNotice, dismissImportError } = useLabActions();
  if (notices.length === 0 && !importError) return null;
  return (
    <div className="notices">
      {importError && (
        <div className="notice notice-error" role="alert">
          <p>{importError}</p>
          <button type="button" className="small" onClick={dismissImportError}>
            Dismiss
          </button>
        </div>
      )}
      {notices.length > 0 && (
        <div className="notice" role="status" aria-label="Notices">
          <ul>
            {notices.map((text, i) => (
              <li key={`${i}:${text}`}>
                {text}{' '}
                <button type="button" className="small" onClick={() => dismissNotice(i)} aria-label={`Dismiss notice ${i + 1}`}>
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Why the client is still waiting, whenever it is: a run with losses must never just sit there silently. */
export function WaitingNote() {
  const waiting = useLab((s) => s.timeline.stats?.waitingBecause ?? null);
  if (!waiting) return null;
  const progressing = /in progress\.$/.test(waiting);
  return (
    <p className={`waiting ${progressing ? '' : 'stuck'}`}>
      <strong>{progressing ? 'Client: ' : 'Client waiting: '}</strong>
      {waiting}
    </p>
  );
}
