import { describe, expect, it } from 'vitest';
import { INITIAL_STATE_DIGEST, makeRequest, NULL_DIGEST } from '../../messages';
import { defaultScenario } from '../../scenario';
import { Signatures, type Signable } from '../../signatures';
import { Simulation } from '../../simulation';
import { ignoredReasons, msg, quietWorld } from '../../testkit';
import type { ClientRequest, Scenario, TraceEvent } from '../../types';
import { runtimeOf } from '../runtime';
import type { CheckpointProof, PreparedCertificate, SignedMessage, ViewChangePayload } from './payloads';
import { checkCheckpointProof, checkNewView, checkPreparedCertificate, computeNewViewDecision, type ProofRules } from './viewChange';

function world(overrides: Partial<Scenario>) {
  return new Simulation(defaultScenario(overrides));
}

/** Proofs made by hand for n = 4 (f = 1): every replica signs honestly with its own key, unless a test says otherwise. */
function proofKit(authentic: (r: ClientRequest) => boolean = () => true) {
  const keys = new Signatures(7, 4, runtimeOf('pbft').signing);
  const signed = (m: Omit<SignedMessage, 'sig'>, signer = m.sender): SignedMessage => Object.freeze({ ...m, sig: keys.sign(signer, m as Signable) });
  const rules: ProofRules = { n: 4, quorum: 3, maxPrepared: 16, verify: (m) => keys.verify(m), isAuthentic: authentic };
  const cert = (view: number, seq: number, r: ClientRequest, voters = [1, 2, 3].filter((x) => x !== view % 4).slice(0, 2)): PreparedCertificate => ({
    prePrepare: signed({ type: 'PRE_PREPARE', view, seq, digest: r.digest, sender: view % 4, request: r }),
    prepares: voters.map((sender) => signed({ type: 'PREPARE', view, seq, digest: r.digest, sender })),
  });
  const genesis: CheckpointProof = { seq: 0, digest: INITIAL_STATE_DIGEST, messages: [] };
  const viewChange = (sender: number, view: number, prepared: PreparedCertificate[], stable = genesis): SignedMessage =>
    signed({ type: 'VIEW_CHANGE', view, seq: stable.seq, digest: '', sender, payload: { stable, prepared } satisfies ViewChangePayload });
  const newView = (view: number, V: SignedMessage[]) => {
    const primary = view % 4;
    const prePrepares = computeNewViewDecision(V).prePrepares.map(({ seq, digest, request }) => signed({ type: 'PRE_PREPARE', view, seq, digest, sender: primary, request }));
    return { payload: { viewChanges: V, prePrepares } };
  };
  return { keys, signed, rules, cert, viewChange, newView, genesis };
}

const proofs = proofKit();
const a = makeRequest('op-a', 1, -1);
const b = makeRequest('op-b', 2, -1);
const c = makeRequest('op-c', 3, -1);
const d = makeRequest('op-d', 4, -1);

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
    const decision = computeNewViewDecision([
      proofs.viewChange(1, 1, [proofs.cert(0, 1, a), proofs.cert(0, 3, c)]),
      proofs.viewChange(2, 1, [proofs.cert(0, 1, a)]),
      proofs.viewChange(3, 1, [proofs.cert(1, 3, d)]),
    ]);
    expect(decision.prePrepares.map((p) => [p.seq, p.digest])).toEqual([
      [1, a.digest],
      [2, NULL_DIGEST],
      [3, d.digest], // the highest-view certificate wins
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
    const V = [1, 2, 3].map((sender) => proofs.viewChange(sender, 1, [proofs.cert(0, 1, a)]));
    const honest = proofs.newView(1, V);
    expect(checkNewView(1, 1, honest.payload, proofs.rules)).toHaveProperty('decision');
    const otherO = { ...honest.payload, prePrepares: [proofs.signed({ type: 'PRE_PREPARE', view: 1, seq: 1, digest: b.digest, sender: 1, request: b })] };
    expect(checkNewView(1, 1, otherO, proofs.rules)).toEqual({ problem: 'O differs from V at #1' });
    expect(checkNewView(1, 1, { ...honest.payload, viewChanges: V.slice(0, 2) }, proofs.rules)).toEqual({ problem: 'V holds 2 VIEW-CHANGEs for view 1, needs 3' });
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
    const vc = (view: number, sender: number) => msg('VIEW_CHANGE', sender, { view, seq: 0, payload: { stable: { seq: 0, digest: INITIAL_STATE_DIGEST, messages: [] }, prepared: [] } });
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

describe('proofs in a view change (signatures)', () => {
  it('a prepared certificate needs the PRE-PREPARE from that view\'s primary and 2f PREPAREs really sent by distinct backups', () => {
    const { rules, cert, signed } = proofs;
    expect(checkPreparedCertificate(cert(0, 1, a), 1, 0, rules)).toBeNull();
    const one = { ...cert(0, 1, a), prepares: cert(0, 1, a).prepares.slice(0, 1) };
    expect(checkPreparedCertificate(one, 1, 0, rules)).toBe('its prepared certificate for #1 holds 1 PREPAREs from distinct backups, needs 2');
    const twice = { ...cert(0, 1, a), prepares: [cert(0, 1, a).prepares[0], cert(0, 1, a).prepares[0]] };
    expect(checkPreparedCertificate(twice, 1, 0, rules)).toBe('its prepared certificate for #1 holds 1 PREPAREs from distinct backups, needs 2');
    const fromPrimary = { ...cert(0, 1, a), prepares: [signed({ type: 'PREPARE', view: 0, seq: 1, digest: a.digest, sender: 0 }), cert(0, 1, a).prepares[0]] };
    expect(checkPreparedCertificate(fromPrimary, 1, 0, rules)).toBe('its prepared certificate for #1 counts a PREPARE from the primary, replica 0');
    // Replica 3 signs a PREPARE in replica 2's name: it can sign, but only as itself.
    const forged = { ...cert(0, 1, a), prepares: [cert(0, 1, a).prepares[0], signed({ type: 'PREPARE', view: 0, seq: 1, digest: a.digest, sender: 2 }, 3)] };
    expect(checkPreparedCertificate(forged, 1, 0, rules)).toBe('its prepared certificate for #1 holds a PREPARE from replica 2 that replica 2 did not send');
    const relabelled = { prePrepare: { ...cert(0, 1, a).prePrepare, seq: 2 }, prepares: cert(0, 1, a).prepares.map((p) => ({ ...p, seq: 2 })) };
    expect(checkPreparedCertificate(relabelled, 1, 0, rules)).toBe('its prepared certificate for #2 holds a PRE-PREPARE that replica 0 did not send');
    const notPrimary = { ...cert(0, 1, a), prePrepare: signed({ type: 'PRE_PREPARE', view: 0, seq: 1, digest: a.digest, sender: 1, request: a }) };
    expect(checkPreparedCertificate(notPrimary, 1, 0, rules)).toBe('its prepared certificate for #1 holds a PRE-PREPARE from replica 1, who is not the primary of view 0');
    expect(checkPreparedCertificate(cert(1, 1, a), 1, 0, rules)).toBe('its prepared certificate for #1 is from view 1, not an earlier view');
    expect(checkPreparedCertificate(cert(0, 1, a), 1, 1, rules)).toBe('its prepared certificate for #1 is at or below its stable checkpoint #1');
  });

  it("a certificate's request passes the checks any PRE-PREPARE's does: digest and client signature", () => {
    const strict = proofKit((r) => r.digest !== b.digest);
    const wrong = { ...strict.cert(0, 1, a), prePrepare: strict.signed({ type: 'PRE_PREPARE', view: 0, seq: 1, digest: a.digest, sender: 0, request: b }) };
    expect(checkPreparedCertificate(wrong, 1, 0, strict.rules)).toBe('its prepared certificate for #1: digest does not match the request');
    expect(checkPreparedCertificate(strict.cert(0, 1, b), 1, 0, strict.rules)).toBe('its prepared certificate for #1: its request is not signed by the client');
  });

  it('a stable checkpoint needs 2f+1 matching CHECKPOINTs really sent by distinct replicas', () => {
    const { rules, signed } = proofs;
    const vote = (sender: number, digest = 'state', signer = sender) => signed({ type: 'CHECKPOINT', view: 0, seq: 4, digest, sender }, signer);
    expect(checkCheckpointProof({ seq: 4, digest: 'state', messages: [vote(0), vote(1), vote(2)] }, rules)).toBeNull();
    expect(checkCheckpointProof({ seq: 4, digest: 'state', messages: [vote(0), vote(1)] }, rules)).toBe('its checkpoint proof for #4 holds 2 CHECKPOINTs from distinct replicas, needs 3');
    expect(checkCheckpointProof({ seq: 4, digest: 'state', messages: [vote(0), vote(1), vote(1)] }, rules)).toBe('its checkpoint proof for #4 holds 2 CHECKPOINTs from distinct replicas, needs 3');
    expect(checkCheckpointProof({ seq: 4, digest: 'state', messages: [vote(0), vote(1), vote(2, 'state', 3)] }, rules)).toBe('the CHECKPOINT from replica 2 in its checkpoint proof for #4 was not sent by replica 2');
    expect(checkCheckpointProof({ seq: 4, digest: 'state', messages: [vote(0), vote(1), vote(2, 'other')] }, rules)).toBe('its checkpoint proof for #4 holds a message that is not a matching CHECKPOINT');
    expect(checkCheckpointProof({ seq: 0, digest: INITIAL_STATE_DIGEST, messages: [] }, rules)).toBeNull();
    expect(checkCheckpointProof({ seq: 0, digest: 'elsewhere', messages: [] }, rules)).toBe('it claims a state at #0 other than the initial one');
  });

  it('NEW-VIEW: V holds 2f+1 VIEW-CHANGEs for that very view, each sent by its sender; O is signed by the new primary', () => {
    const { rules, viewChange, newView, cert, signed } = proofs;
    const V = [0, 2, 3].map((sender) => viewChange(sender, 1, [cert(0, 1, a)]));
    const good = newView(1, V);
    expect(checkNewView(1, 1, good.payload, rules)).toHaveProperty('decision');
    // Replica 1 rewrites replica 2's VIEW-CHANGE (it hides its certificate): the signature no longer fits.
    const hidden = { ...V[1], payload: { ...(V[1].payload as ViewChangePayload), prepared: [] } };
    expect(checkNewView(1, 1, newView(1, [V[0], hidden, V[2]]).payload, rules)).toEqual({ problem: 'the VIEW-CHANGE from replica 2 in V was not sent by replica 2' });
    const stale = viewChange(2, 0, [cert(0, 1, a)]);
    expect(checkNewView(1, 1, newView(1, [V[0], stale, V[2]]).payload, rules)).toEqual({ problem: 'the VIEW-CHANGE from replica 2 in V is for view 0, not 1' });
    expect(checkNewView(1, 1, newView(1, [V[0], V[0], V[2]]).payload, rules)).toEqual({ problem: 'V holds two VIEW-CHANGEs from replica 0' });
    const badCert = viewChange(2, 1, [{ ...cert(0, 1, a), prepares: cert(0, 1, a).prepares.slice(0, 1) }]);
    expect(checkNewView(1, 1, newView(1, [V[0], badCert, V[2]]).payload, rules)).toEqual({
      problem: 'the VIEW-CHANGE from replica 2 in V: its prepared certificate for #1 holds 1 PREPAREs from distinct backups, needs 2',
    });
    // O signed by someone else than the new primary.
    const byOther = { ...good.payload, prePrepares: [signed({ type: 'PRE_PREPARE', view: 1, seq: 1, digest: a.digest, sender: 1, request: a }, 2)] };
    expect(checkNewView(1, 1, byOther, rules)).toEqual({ problem: "O's PRE-PREPARE for #1 was not sent by replica 1" });
    const missing = { ...good.payload, prePrepares: [] };
    expect(checkNewView(1, 1, missing, rules)).toEqual({ problem: 'O re-proposes 0 numbers, but V implies 1 (#1…#1)' });
  });

  it("O's requests are checked like any PRE-PREPARE's", () => {
    const strict = proofKit((r) => r.digest !== b.digest);
    const V = [0, 2, 3].map((sender) => strict.viewChange(sender, 1, [strict.cert(0, 1, a)]));
    const good = strict.newView(1, V);
    const otherRequest = { ...good.payload, prePrepares: [strict.signed({ type: 'PRE_PREPARE', view: 1, seq: 1, digest: a.digest, sender: 1, request: b })] };
    expect(checkNewView(1, 1, otherRequest, strict.rules)).toEqual({ problem: "O's PRE-PREPARE for #1: digest does not match the request" });
    const unsigned = strict.newView(1, [0, 2, 3].map((sender) => strict.viewChange(sender, 1, [])));
    expect(checkNewView(1, 1, unsigned.payload, strict.rules)).toHaveProperty('decision');
  });

  it('a forged VIEW-CHANGE is rejected on arrival, with the reason in the trace', () => {
    const sim = quietWorld({ f: 1 });
    const request = sim.client.issue(0);
    // Replica 2 claims a certificate whose PREPAREs it made up in the names of replicas 1 and 3 (its own signature on them).
    const fake = {
      prePrepare: sim.signAs(0, { type: 'PRE_PREPARE', view: 0, seq: 1, digest: request.digest, request }),
      prepares: [1, 3].map((sender) => ({ ...sim.signAs(2, { type: 'PREPARE', view: 0, seq: 1, digest: request.digest }), sender })),
    };
    const trace = sim.inject(3, msg('VIEW_CHANGE', 2, { view: 1, seq: 0, payload: { stable: proofs.genesis, prepared: [fake] } }));
    expect(ignoredReasons(trace)).toEqual(['rejected VIEW-CHANGE: its prepared certificate for #1 holds a PREPARE from replica 1 that replica 1 did not send']);
  });
});
