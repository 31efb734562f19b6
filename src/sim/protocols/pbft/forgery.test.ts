/**
 * Issue 11's safety hole, as the audit demonstrated it: with f = 1 and ONE faulty replica — the primary of view 1 — a
 * NEW-VIEW with a fabricated V, followed by #1 and #2 re-proposed in the opposite order, made an honest replica that was
 * slow in view 0 execute a different history from the other honest replicas. The liar is built here from the
 * simulation's hooks (a delivery filter that takes its replica's words off the wire, inject for what it says instead)
 * and the reusable forging blocks of ./lies.ts; it signs only in its own name.
 */
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../scenario';
import { Simulation } from '../../simulation';
import { ignoredReasons } from '../../testkit';
import type { ClientRequest, Message, NodeId, OutgoingMessage } from '../../types';
import { claimNothingPrepared, fabricateNewView, leastRevealing, type ViewChangeFabrication } from './lies';
import { signedCopy, type NewViewPayload, type SignedMessage } from './payloads';

const LIAR = 1;
const SLOW = 3;
const HONEST = [0, 2, 3];

/** Honest execution logs as the replicas hold them, judged here: each a prefix of the longest. */
function expectOneHistory(sim: Simulation): void {
  const logs = HONEST.map((id) => sim.replicaList[id].executedLog.map((e) => `${e.seq}:${e.digest}`));
  const longest = logs.reduce((x, y) => (y.length > x.length ? y : x), []);
  for (const log of logs) expect(log).toEqual(longest.slice(0, log.length));
}

/**
 * Runs the attack: view 0 orders a at #1 and b at #2; replica 3 never hears view 0's COMMITs (it is slow), so it is
 * prepared but executes nothing and, its timer expired, asks for view 1. The liar asks too (a VIEW-CHANGE in its own
 * name), so the others join; its replica builds the genuine NEW-VIEW, which the liar keeps to itself, sending instead
 * the one `fabricate` makes of the VIEW-CHANGEs it received, and then proposes b at #1 and a at #2.
 */
function attack(fabricate: (seen: SignedMessage[]) => ViewChangeFabrication) {
  const sim = new Simulation(defaultScenario({ f: 1, requests: 2, concurrency: 2, seed: 3 }));
  const seen: SignedMessage[] = [];
  let genuine = null as Message | null;
  sim.setDeliveryFilter((m) => {
    if (m.type === 'COMMIT' && m.view === 0 && m.receiver === SLOW) return false;
    if (m.receiver === LIAR && m.type === 'VIEW_CHANGE' && m.view === 1) seen.push(signedCopy(m));
    // From view 1 on the liar speaks only through the test.
    if (m.sender === LIAR && m.view >= 1 && m.type !== 'VIEW_CHANGE') {
      if (m.type === 'NEW_VIEW' && m.view === 1) genuine ??= m;
      return false;
    }
    return true;
  });
  const say = (to: NodeId[], fields: OutgoingMessage) => to.flatMap((r) => sim.inject(r, { ...sim.signAs(LIAR, fields), sender: LIAR }));

  // View 0 runs; replica 3 times out and asks for view 1.
  let t = 0;
  while (!sim.trace.some((e) => e.kind === 'view-change' && e.replica === SLOW) && t < 5_000) sim.runUntil((t += 10));
  // a and b: what view 0 ordered at #1 and #2.
  const [a, b] = sim.replicaList[0].executedLog.map((e) => e.request) as ClientRequest[];
  expect(sim.replicaList[SLOW].executedLog).toEqual([]);
  for (const id of [0, 2]) expect(sim.replicaList[id].executedLog.map((e) => e.digest)).toEqual([a.digest, b.digest]);
  // The liar asks for view 1 too, claiming nothing prepared (a lie about itself nobody can catch, and a harmless one).
  say(HONEST, { type: 'VIEW_CHANGE', view: 1, seq: 0, digest: '', payload: { stable: sim.pbft(LIAR).stableCheckpoint, prepared: [] } });
  while (!genuine && t < 10_000) sim.runUntil((t += 5));
  expect(genuine).not.toBeNull();

  // Its material: the V of the genuine NEW-VIEW (its own VIEW-CHANGE among them) and any other VIEW-CHANGE it received.
  const V = (genuine!.payload as NewViewPayload).viewChanges;
  const material = [...V, ...seen.filter((vc) => !V.some((g) => g.sender === vc.sender))];
  const forged = fabricateNewView(1, material, LIAR, fabricate(material), (m) => sim.signAs(LIAR, m));
  const answers = say(HONEST, forged);
  // Then it re-proposes #1 and #2 in the opposite order, and commits to both.
  const proposals = [
    [1, b],
    [2, a],
  ] as const;
  for (const [seq, request] of proposals) {
    say(HONEST, { type: 'PRE_PREPARE', view: 1, seq, digest: request.digest, request });
    say(HONEST, { type: 'COMMIT', view: 1, seq, digest: request.digest });
  }
  sim.runToQuiescence(60_000);
  return { sim, answers, a, b };
}

describe('audit: a faulty primary of view 1 cannot rewrite history with a NEW-VIEW (f = 1, one liar)', () => {
  it('a fabricated V is rejected, and the slow honest replica executes the history the others executed', () => {
    const { sim, answers, a, b } = attack(() => claimNothingPrepared);
    // Every honest replica refuses the forgery, and says exactly why. (V is the liar's own VIEW-CHANGE — a claim about
    // itself it may sign — and replicas 2's and 3's, rewritten: the first of those is caught.)
    expect(ignoredReasons(answers)).toEqual(HONEST.map(() => 'rejected NEW-VIEW: the VIEW-CHANGE from replica 2 in V was not sent by replica 2'));
    expectOneHistory(sim);
    expect(sim.replicaList[SLOW].executedLog.map((e) => e.digest)).toEqual([a.digest, b.digest]);
    expect(sim.stats().violations).toEqual([]);
    // The liar's view never came: the honest replicas moved on to view 2.
    for (const id of HONEST) expect(sim.pbft(id).view).toBeGreaterThanOrEqual(2);
  });

  it('V relabelled (what was prepared at #1 claimed for #2 and back) is rejected by the certificates\' own signatures', () => {
    const swap: ViewChangeFabrication = (vc) => {
      const relabel = (m: SignedMessage): SignedMessage => ({ ...m, seq: m.seq === 1 ? 2 : m.seq === 2 ? 1 : m.seq });
      const payload = vc.payload as { stable: unknown; prepared: Array<{ prePrepare: SignedMessage; prepares: SignedMessage[] }> };
      const prepared = payload.prepared.map((c) => ({ prePrepare: relabel(c.prePrepare), prepares: c.prepares.map(relabel) })).sort((x, y) => x.prePrepare.seq - y.prePrepare.seq);
      return { ...vc, payload: { ...payload, prepared } };
    };
    const { sim, answers } = attack(() => swap);
    // The liar re-signed its own VIEW-CHANGE (it may), but the certificates inside carry replica 0's and the backups' signatures.
    expect(ignoredReasons(answers)).toEqual(HONEST.map(() => 'rejected NEW-VIEW: the VIEW-CHANGE from replica 1 in V: its prepared certificate for #1 holds a PRE-PREPARE that replica 0 did not send'));
    expectOneHistory(sim);
    expect(sim.stats().violations).toEqual([]);
  });

  it('the strongest V the liar can really build — the genuine VIEW-CHANGEs that hide the most — still carries a and b', () => {
    const { sim, answers, a, b } = attack((seen) => leastRevealing(seen, 3, LIAR));
    // Accepted: it is a valid NEW-VIEW. But quorum intersection puts replica 0's or 2's certificates in V, so O re-proposes
    // a at #1 and b at #2, and the liar's opposite proposals find those numbers taken.
    expect(ignoredReasons(answers)).toEqual([]);
    for (const id of HONEST) expect(sim.trace.some((e) => e.kind === 'deliver' && e.msg.to === id && e.ignored === `already accepted ${a.digest} for #1 in view 1`)).toBe(true);
    expectOneHistory(sim);
    expect(sim.replicaList[SLOW].executedLog.map((e) => e.digest)).toEqual([a.digest, b.digest]);
    expect(sim.stats().violations).toEqual([]);
  });
});
