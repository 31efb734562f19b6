import { describe, expect, it } from 'vitest';
import { NULL_DIGEST } from '../../messages';
import type { NewViewPayload, ViewChangePayload } from './payloads';
import { defaultScenario } from '../../scenario';
import { Simulation } from '../../simulation';
import { ignoredReasons, msg, quietWorld } from '../../testkit';
import type { Scenario, TraceEvent } from '../../types';
import { computeNewViewDecision, verifyNewView } from './viewChange';

function world(overrides: Partial<Scenario>) {
  return new Simulation(defaultScenario(overrides));
}

const executedBy = (sim: Simulation, id: number) => sim.replicas()[id].executed;
const newViews = (trace: TraceEvent[]) => trace.filter((e) => e.kind === 'send' && e.msg.type === 'NEW_VIEW');

describe('view change', () => {
  it('a silent primary is replaced and the pending request commits in view 1', () => {
    const sim = world({ malicious: { 0: { kind: 'silent' } } });
    sim.runToQuiescence(10_000);
    const stats = sim.stats();
    expect(stats.committed).toBe(1);
    expect(stats.view).toBe(1);
    expect(stats.primary).toBe(1);
    const digest = [...sim.client.issued.keys()][0];
    for (const id of [1, 2, 3]) expect(executedBy(sim, id)).toEqual([[1, digest]]);
    const commit = sim.trace.find((e) => e.kind === 'phase' && e.phase === 'committed' && e.replica === 2);
    expect(commit && commit.kind === 'phase' && commit.view).toBe(1);
  });

  it('an equivocating primary is replaced', () => {
    // f = 2: it splits the six backups three and three, so neither request gathers 2f = 4 PREPAREs.
    const sim = world({ f: 2, requests: 3, malicious: { 0: { kind: 'equivocate' } } });
    sim.runToQuiescence(20_000);
    expect(sim.stats().committed).toBe(3);
    expect(sim.stats().view).toBeGreaterThanOrEqual(1);
    expect(sim.trace.some((e) => e.kind === 'deliver' && e.ignored === 'digest does not match the request')).toBe(true);
    expect(sim.stats().violations).toEqual([]);
  });

  it('NEW-VIEW re-proposes a request prepared in the old view at the same sequence number', () => {
    // COMMITs of view 0 never reach replicas 2 and 3: replicas 0 and 1 commit and execute #1, 2 and 3 are only prepared.
    const sim = world({});
    sim.setDeliveryFilter((m) => !(m.type === 'COMMIT' && m.view === 0 && (m.receiver === 2 || m.receiver === 3)));
    sim.runToQuiescence(10_000);
    const digest = [...sim.client.issued.keys()][0];
    const view0Commits = sim.trace.filter((e) => e.kind === 'phase' && e.phase === 'committed' && e.view === 0).map((e) => (e.kind === 'phase' ? e.replica : -1));
    expect(view0Commits.sort()).toEqual([0, 1]);
    const nv = sim.pbft(1);
    expect(nv.view).toBe(1);
    const sentNewView = newViews(sim.trace);
    expect(sentNewView.length).toBeGreaterThan(0);
    // O carries the prepared request at #1 with the same digest, and 2 and 3 now execute exactly that.
    const o = sim.trace.find((e) => e.kind === 'phase' && e.view === 1 && e.phase === 'pre-prepared' && e.replica === 2);
    expect(o && o.kind === 'phase' && [o.seq, o.digest]).toEqual([1, digest]);
    for (const id of [0, 1, 2, 3]) expect(executedBy(sim, id)).toEqual([[1, digest]]);
    expect(sim.stats().violations).toEqual([]);
  });

  it('O fills a gap with the null request', () => {
    const cert = (seq: number, view: number, digest: string) => ({ seq, view, digest, request: null });
    const vc = (prepared: ViewChangePayload['prepared']): ViewChangePayload => ({ stable: { seq: 0, digest: 'genesis', signers: [] }, prepared });
    const decision = computeNewViewDecision([
      { sender: 1, payload: vc([cert(1, 0, 'aaaa'), cert(3, 0, 'cccc')]) },
      { sender: 2, payload: vc([cert(1, 0, 'aaaa')]) },
      { sender: 3, payload: vc([cert(3, 1, 'dddd')]) },
    ]);
    expect(decision.prePrepares.map((p) => [p.seq, p.digest])).toEqual([
      [1, 'aaaa'],
      [2, NULL_DIGEST],
      [3, 'dddd'], // the highest-view certificate wins
    ]);
  });

  it('in a run, a sequence number nobody prepared becomes a null request after the view change', () => {
    const sim = world({ requests: 2, concurrency: 2 });
    // The primary's PRE-PREPAREs for #1 are lost; #2 prepares everywhere but cannot execute before #1.
    sim.setDeliveryFilter((m) => !(m.type === 'PRE_PREPARE' && m.view === 0 && m.seq === 1));
    sim.runToQuiescence(20_000);
    expect(sim.stats().committed).toBe(2);
    const log = executedBy(sim, 2);
    expect(log[0]).toEqual([1, NULL_DIGEST]);
    expect(log.slice(1).map(([, d]) => d).sort()).toEqual([...sim.client.issued.keys()].sort());
    for (const id of [0, 1, 3]) expect(executedBy(sim, id)).toEqual(log);
  });

  it('a backup rejects a NEW-VIEW whose O does not follow from V', () => {
    const vc: ViewChangePayload = { stable: { seq: 0, digest: 'genesis', signers: [] }, prepared: [{ seq: 1, view: 0, digest: 'aaaa', request: null }] };
    const viewChanges = [1, 2, 3].map((sender) => ({ sender, payload: vc }));
    const honest: NewViewPayload = { viewChanges, ...computeNewViewDecision(viewChanges) };
    expect(verifyNewView(honest, 3, 4)).toBeNull();
    expect(verifyNewView({ ...honest, prePrepares: [{ seq: 1, digest: 'bbbb', request: null }] }, 3, 4)).toMatch(/O differs/);
    expect(verifyNewView({ ...honest, viewChanges: viewChanges.slice(0, 2) }, 3, 4)).toMatch(/needs 3/);
  });

  it('the new primary is also dead: replicas move on after T, then 2T', () => {
    const T = 300;
    const sim = world({ f: 2, viewChangeTimeoutMs: T, malicious: { 0: { kind: 'silent' }, 1: { kind: 'silent' } } });
    sim.runToQuiescence(30_000);
    expect(sim.stats().committed).toBe(1);
    expect(sim.stats().view).toBe(2);
    // The wait for NEW-VIEW of view 1 is T; for view 2 it is 2T.
    const honest = 4;
    const enter = (view: number) => sim.trace.find((e) => e.kind === 'view-change' && e.replica === honest && e.view === view)!;
    const timerAfter = (ev: TraceEvent) => sim.trace.find((e) => e.kind === 'timer' && e.replica === honest && e.action === 'start' && e.i > ev.i);
    const wait1 = timerAfter(enter(1));
    const wait2 = timerAfter(enter(2));
    expect(wait1 && wait1.kind === 'timer' && wait1.deadline - wait1.t).toBeCloseTo(T);
    expect(wait2 && wait2.kind === 'timer' && wait2.deadline - wait2.t).toBeCloseTo(2 * T);
    expect(enter(2).t - wait1!.t).toBeCloseTo(T);
  });

  it('a replica that sees f+1 VIEW-CHANGEs for higher views joins the smallest of them', () => {
    const sim = quietWorld({ f: 1 });
    const vc = (view: number, sender: number) => msg('VIEW_CHANGE', sender, { view, seq: 0, payload: { stable: { seq: 0, digest: '00000000', signers: [] }, prepared: [] } });
    let trace = sim.inject(3, vc(3, 1));
    expect(trace.some((e) => e.kind === 'view-change')).toBe(false); // one is not enough: it may be faulty
    trace = sim.inject(3, vc(2, 2));
    const joined = trace.find((e) => e.kind === 'view-change');
    expect(joined && joined.kind === 'view-change' && [joined.replica, joined.view]).toEqual([3, 2]);
    expect(trace.filter((e) => e.kind === 'send' && e.msg.type === 'VIEW_CHANGE' && e.msg.view === 2).length).toBe(3);
  });

  it('a stale-view message is ignored', () => {
    const sim = world({ malicious: { 0: { kind: 'silent' } } });
    sim.runToQuiescence(10_000);
    expect(sim.pbft(2).view).toBe(1);
    const request = [...sim.client.issued.values()][0];
    const trace = sim.inject(2, msg('PREPARE', 3, { view: 0, seq: 2, digest: request.digest }));
    expect(ignoredReasons(trace)).toEqual(['stale view 0 (replica is in view 1)']);
  });

  it('a malicious new primary triggers a further view change', () => {
    const sim = world({ f: 2, requests: 2, malicious: { 0: { kind: 'silent' }, 1: { kind: 'equivocate' } } });
    sim.runToQuiescence(30_000);
    expect(sim.stats().committed).toBe(2);
    expect(sim.stats().view).toBeGreaterThanOrEqual(2);
    expect(sim.stats().violations).toEqual([]);
  });
});
