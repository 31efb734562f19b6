/**
 * Issue 11 §4: a replica's buffers are bounded per sender, so a flooding liar can neither make an honest replica's
 * memory grow nor push out what honest replicas said. The flooder here is a test adversary speaking through inject():
 * garbage, votes for digests nobody proposed, far-future views and sequence numbers, checkpoint and view-change votes
 * for any number or view, retransmission marks — fast, for a long run — while the client keeps issuing requests.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from './rng';
import { defaultScenario } from './scenario';
import { Simulation } from './simulation';
import { INITIAL_STATE_DIGEST } from './messages';
import type { Message, MessageType } from './types';

const FLOODER = 3;
const HONEST = [0, 1, 2];

/** One message of the flood: a different kind each time, its numbers drawn from the flood's own stream. */
function garbage(rng: Rng, k: number, view: number, low: number, L: number): Omit<Message, 'id' | 'receiver'> {
  const digest = `x${Math.floor(rng.next() * 1e9).toString(16)}`;
  const near = low + 1 + rng.int(2 * L);
  const sender = FLOODER;
  switch (k % 10) {
    case 0:
      return { type: 'PREPARE', sender, view, seq: near, digest };
    case 1:
      return { type: 'COMMIT', sender, view, seq: near, digest, retransmit: 'repeat' };
    case 2:
      return { type: 'PREPARE', sender, view: view + 1 + rng.int(1e6), seq: near, digest };
    case 3:
      return { type: 'COMMIT', sender, view: view + 1 + rng.int(1e6), seq: 1e9 + rng.int(1e6), digest };
    case 4:
      return { type: 'CHECKPOINT', sender, view, seq: 4 * (1 + rng.int(1e6)), digest, payload: { stateDigest: digest } };
    case 5:
      return { type: 'CHECKPOINT', sender, view, seq: near - (near % 4) + 4, digest, retransmit: 'repeat' };
    case 6:
      return { type: 'VIEW_CHANGE', sender, view: view + 1 + rng.int(1e6), seq: 0, digest: '', payload: { stable: { seq: 0, digest: INITIAL_STATE_DIGEST, messages: [] }, prepared: [] } };
    case 7:
      return { type: 'VIEW_CHANGE', sender, view: view + 1 + rng.int(100), seq: rng.int(100), digest: '', payload: { stable: { seq: 8, digest, messages: [] }, prepared: [{ garbage: true }] } };
    case 8:
      return { type: 'NEW_VIEW', sender, view: view + 1 + rng.int(1e6), seq: 0, digest: '', payload: { viewChanges: [{}], prePrepares: [null] } };
    default:
      return { type: (['PRE_PREPARE', 'REQUEST', 'REPLY', 'NOPE'] as MessageType[])[rng.int(4)], sender, view, seq: near, digest, request: { op: 'steal', timestamp: 1, client: -1, digest } };
  }
}

describe('bounded memory under flooding', () => {
  it('a liar flooding for a long run leaves every honest buffer bounded, evicts nothing honest, and stops no progress', () => {
    const L = 16;
    const K = 4;
    const requests = 150;
    const sim = new Simulation(defaultScenario({ f: 1, requests, concurrency: 2, checkpointInterval: K, watermarkWindow: L, malicious: { [FLOODER]: { kind: 'silent' } } }), { recordTrace: false });
    const rng = createRng(7, 'flood');
    const peak = { held: 0, checkpointVotes: 0, viewChanges: 0, slots: 0, tallies: 0 };
    const flooderShare = { held: 0, checkpointVotes: 0 };
    let sent = 0;
    for (let t = 1; t <= 20_000; t++) {
      sim.runUntil(t);
      for (const to of HONEST) {
        const r = sim.pbft(to);
        // Two messages per replica per virtual millisecond: far more than all honest traffic together.
        for (let k = 0; k < 2; k++) sim.inject(to, garbage(rng, sent++, r.view, r.lowWatermark, L));
        const sizes = r.bufferSizes();
        for (const key of Object.keys(peak) as Array<keyof typeof peak>) peak[key] = Math.max(peak[key], sizes[key]);
        const share = r.bufferSizesOf(FLOODER);
        flooderShare.held = Math.max(flooderShare.held, share.held);
        flooderShare.checkpointVotes = Math.max(flooderShare.checkpointVotes, share.checkpointVotes);
      }
    }
    sim.runToQuiescence(1e9);
    expect(sent).toBe(120_000);
    // Honest progress went on: every request accepted, no honest replica disagreed.
    expect(sim.stats().committed).toBe(requests);
    expect(sim.stats().violations).toEqual([]);
    // Each bound follows from the window, not from how much was sent. The flooder holds at most one message per
    // (type, number) within two windows, and one checkpoint vote per checkpoint number in the window plus one beyond.
    expect(flooderShare.held).toBeLessThanOrEqual(3 * 2 * L);
    expect(flooderShare.checkpointVotes).toBeLessThanOrEqual(L / K + 1);
    expect(peak.held).toBeLessThanOrEqual(4 * 3 * 2 * L);
    expect(peak.checkpointVotes).toBeLessThanOrEqual(4 * (L / K + 1));
    expect(peak.viewChanges).toBeLessThanOrEqual(4);
    expect(peak.slots).toBeLessThanOrEqual(L);
    // Per slot: one tally per (view, digest) a sender voted for — at most one vote per sender and view.
    expect(peak.tallies).toBeLessThanOrEqual(L * 2 * 4 * 2);
  });

  it("a flood never evicts an honest replica's held messages", () => {
    const sim = new Simulation(defaultScenario({ f: 1, requests: 0, malicious: { [FLOODER]: { kind: 'silent' } } }), { recordTrace: false });
    const request = sim.client.issue(0);
    // Replica 2 told replica 0 about view 1 (which 0 has not entered): held.
    sim.inject(0, { type: 'PREPARE', sender: 2, view: 1, seq: 3, digest: request.digest });
    sim.inject(0, { type: 'COMMIT', sender: 2, view: 1, seq: 3, digest: request.digest });
    const rng = createRng(8, 'flood');
    for (let k = 0; k < 20_000; k++) sim.inject(0, garbage(rng, k, 0, 0, 16));
    expect(sim.pbft(0).bufferSizesOf(2).held).toBe(2);
    expect(sim.pbft(0).bufferSizesOf(FLOODER).held).toBeLessThanOrEqual(3 * 2 * 16);
  });
});
