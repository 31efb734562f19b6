import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import { CLIENT, type MessageSummary, type Scenario, type TraceEvent } from '../sim/types';
import { captionFor, describeEvent, interventionWords, messageLabel, timerName } from './describe';

const pp: MessageSummary = { id: 5, type: 'PRE_PREPARE', from: 0, to: 2, view: 0, seq: 1, digest: 'abc' };

describe('describeEvent', () => {
  it('puts a send in the paper’s words', () => {
    const e: TraceEvent = { kind: 'send', i: 3, t: 12.34, msg: pp, arriveAt: 30, lost: false };
    expect(describeEvent(e)).toBe('t=12.3 Replica 0 → Replica 2 PRE-PREPARE v0 #1');
  });

  it('names the client and leaves sequence numbers off a REQUEST', () => {
    const e: TraceEvent = {
      kind: 'send',
      i: 0,
      t: 0,
      msg: { id: 1, type: 'REQUEST', from: -1, to: 0, view: 0, seq: 0, digest: 'd' },
      arriveAt: 20,
      lost: false,
    };
    expect(describeEvent(e)).toBe('t=0.0 Client → Replica 0 REQUEST');
  });

  it('says why a message was ignored', () => {
    const e: TraceEvent = { kind: 'deliver', i: 1, t: 3, msg: pp, ignored: 'stale view' };
    expect(describeEvent(e)).toBe('t=3.0 Replica 2 ignored PRE-PREPARE v0 #1 from Replica 0 (stale view)');
  });

  it('labels view-change messages by the view they ask for', () => {
    expect(messageLabel({ type: 'VIEW_CHANGE', view: 1, seq: 0 })).toBe('VIEW-CHANGE to v1');
    expect(messageLabel({ type: 'COMMIT', view: 2, seq: 7 })).toBe('COMMIT v2 #7');
  });
});

describe('captionFor', () => {
  it('summarises a delivery and its consequences in one line', () => {
    const events: TraceEvent[] = [
      { kind: 'deliver', i: 10, t: 14.2, msg: { ...pp, to: 1 } },
      { kind: 'phase', i: 11, t: 14.2, replica: 1, view: 0, seq: 1, digest: 'abc', phase: 'pre-prepared' },
      ...[0, 2, 3].map(
        (to, k): TraceEvent => ({
          kind: 'send',
          i: 12 + k,
          t: 14.2,
          msg: { id: 20 + k, type: 'PREPARE', from: 1, to, view: 0, seq: 1, digest: 'abc' },
          arriveAt: 30,
          lost: false,
        }),
      ),
    ];
    expect(captionFor(events)).toBe('t=14.2 Replica 1 received PRE-PREPARE v0 #1 from Replica 0 → pre-prepared; sent 3 PREPARE');
  });

  it('is null for an empty batch', () => {
    expect(captionFor([])).toBeNull();
  });

  it('describes the newest step of a long batch', () => {
    const events: TraceEvent[] = [
      { kind: 'deliver', i: 1, t: 1, msg: pp },
      { kind: 'drop', i: 2, t: 2, msg: { ...pp, type: 'COMMIT' } },
    ];
    expect(captionFor(events)).toBe('t=2.0 ✕ COMMIT v0 #1 from Replica 0 to Replica 2 was lost');
  });
});

/**
 * A hand's deeds (deliver by hand, Hold everything from replica k, Drop, Duplicate, Fire timer) told from real runs: each
 * is the person's choice, not a partition's cut and Heal, nor a replica saying something again.
 */
describe('a hand’s choices in words', () => {
  const handRun = (scenario: Scenario) => {
    const session = new Session(scenario);
    const run = () => ({ scenario, interventions: session.history });
    const words = (events: readonly TraceEvent[]) => events.map((e) => describeEvent(e, run()));
    return { session, run, words };
  };
  const waitingMessages = (session: Session) => session.sim.pending().filter((p) => p.kind === 'message');

  it('switching deliver by hand on takes what flies off the wire to wait for a hand; off, it goes back to the network', () => {
    const { session, run, words } = handRun(defaultScenario({ f: 1, requests: 1, seed: 3 }));
    session.runUntil(20);
    const held = session.intervene({ kind: 'setByHand', on: true });
    expect(held.length).toBeGreaterThan(0);
    for (const line of words(held)) {
      expect(line).toMatch(/^t=\d+\.\d .+ from .+ to .+ is taken off the wire: it waits in flight for your hand$/);
      expect(line).not.toMatch(/cut|Heal/);
    }
    // What a replica sends while it is on waits too, and says so.
    const first = waitingMessages(session)[0];
    const sent = session.intervene({ kind: 'deliver', msg: first.id }).filter((e) => e.kind === 'send');
    expect(sent.length).toBeGreaterThan(0);
    for (const line of words(sent)) expect(line).toMatch(/ \(waits in flight for your hand\)$/);

    const released = session.intervene({ kind: 'setByHand', on: false });
    expect(released.length).toBeGreaterThan(0);
    released.forEach((e, k) => {
      if (e.kind !== 'release') throw new Error(`expected a release, got ${e.kind}`);
      expect(words(released)[k]).toBe(`t=${e.t.toFixed(1)} ${messageLabel(e.msg)} from Replica ${e.msg.from} to Replica ${e.msg.to} goes back to the network, arrives at t=${e.arriveAt.toFixed(1)}`);
    });
    // The caption of that step says it in the same words.
    expect(captionFor(released, undefined, run())).toBe(words(released).at(-1));
  });

  it('holding everything from a replica says whose messages wait, and why', () => {
    const { session, words } = handRun(defaultScenario({ f: 1, requests: 1, seed: 3 }));
    session.runUntil(30);
    // The primary's PRE-PREPAREs (sent at t=24.6) are on the wire: holding it catches them there.
    const caught = session.intervene({ kind: 'holdFrom', replica: 0, on: true });
    expect(caught.length).toBeGreaterThan(0);
    for (const line of words(caught)) expect(line).toMatch(/^t=\S+ PRE-PREPARE v0 #1 from Replica 0 to Replica \d is taken off the wire: it waits in flight for your hand: you hold everything from Replica 0$/);
    session.runUntil(400);
    const later = session.trace.filter((e) => e.kind === 'send' && e.hand);
    expect(later.length).toBeGreaterThan(0);
    for (const line of words(later)) expect(line).toMatch(/^t=\S+ Replica 0 → Replica \d .+ \(waits in flight for your hand: you hold everything from Replica 0\)$/);
  });

  it('a duplicate is your copy, a hand’s drop is yours, and a timer fired by hand says so', () => {
    const { session, run, words } = handRun(defaultScenario({ f: 1, requests: 1, seed: 3, byHand: true }));
    session.step();
    const request = waitingMessages(session)[0];
    const copy = session.intervene({ kind: 'duplicate', msg: request.id });
    expect(words(copy)).toEqual([`t=0.0 You duplicated REQUEST from Client to Replica 0: a second copy of it waits in flight for your hand`]);

    session.intervene({ kind: 'deliver', msg: request.id });
    const preprepare = waitingMessages(session).find((m) => m.type === 'PRE_PREPARE' && m.to === 2)!;
    const drop = session.intervene({ kind: 'dropMessage', msg: preprepare.id });
    expect(words(drop)).toEqual([`t=${drop[0].t.toFixed(1)} ✕ You dropped PRE-PREPARE v0 #1 from Replica 0 to Replica 2: it never arrives`]);

    // Replica 1 pre-prepares and starts its view-change timer, which waits; fired by hand, the view change it starts
    // says who fired it.
    session.intervene({ kind: 'deliver', msg: waitingMessages(session).find((m) => m.type === 'PRE_PREPARE' && m.to === 1)!.id });
    const timer = session.sim.pending().find((p) => p.kind === 'timer' && p.replica === 1 && p.timer === 'main')!;
    if (timer.kind !== 'timer') throw new Error('no timer');
    const fired = session.intervene({ kind: 'fireTimer', replica: 1, timer: 'main' });
    expect(describeEvent(fired[0], run())).toBe(`t=${timer.deadline.toFixed(1)} You fire Replica 1’s view-change timer: it runs out now`);
    expect(captionFor(fired, undefined, run())).toBe(`t=${timer.deadline.toFixed(1)} You fire Replica 1’s view-change timer: it runs out now → Replica 1 starts a view change to v1; sent 3 VIEW-CHANGE`);
    // Only the first event it caused names it; the rest read as ever.
    expect(fired.slice(1).some((e) => describeEvent(e, run()).includes('You fire'))).toBe(false);

    const client = session.sim.pending().find((p) => p.kind === 'timer' && p.replica === CLIENT)!;
    if (client.kind !== 'timer') throw new Error('no client timer');
    const retransmit = session.intervene({ kind: 'fireTimer', replica: CLIENT, timer: client.timer });
    expect(describeEvent(retransmit[0], run())).toMatch(/^t=\S+ You fire the Client’s retransmission timer \(request 1\) → Client retransmits request 1 /);
  });
});

describe('a timer fired by hand is named in its protocol’s words', () => {
  it('PBFT’s view-change timer, HotStuff’s view timer, Tendermint’s round timeout', () => {
    const main = { replica: 1, timer: 'main' };
    expect(timerName(main, defaultScenario({ f: 1 }))).toBe('Replica 1’s view-change timer');
    expect(timerName(main, defaultScenario({ f: 1, mode: 'hotstuff' }))).toBe('Replica 1’s view timer');
    expect(timerName(main, defaultScenario({ f: 1, mode: 'tendermint' }))).toMatch(/^Replica 1’s round timeout/);
    expect(interventionWords({ kind: 'fireTimer', replica: 1, timer: 'main' }, defaultScenario({ f: 1, mode: 'tendermint' }))).not.toMatch(/view-change/);
  });
});
