/**
 * PBFT's view-change lies (./lies.ts), each told to an honest replica with real signatures: every forgery is refused, for
 * the reason that names what it could not prove, and the one valid NEW-VIEW among them is taken. The world is staged:
 * view 0 prepares #1 and #2 but its COMMITs are lost, so every backup asks for view 1; view 1's NEW-VIEW is lost too, so
 * they ask for view 2 — and the liars hold real material: certificates, PRE-PREPAREs, VIEW-CHANGEs of two views.
 */
import { describe, expect, it } from 'vitest';
import { Cabal } from '../../adversary/cabal';
import type { AdversaryContext } from '../../adversary/types';
import { defaultScenario } from '../../scenario';
import { Simulation } from '../../simulation';
import { isClientRequest } from '../../messages';
import type { ClientRequest, Message, NodeId, OutgoingMessage } from '../../types';
import { PBFT_KNOWLEDGE, PBFT_VIEW_CHANGE_LIES as LIES } from './lies';

function stage() {
  const sim = new Simulation(defaultScenario({ f: 1, requests: 2, concurrency: 2, seed: 3 }));
  const heardBy: Message[][] = [[], [], [], []];
  const newViews = new Map<string, Message>();
  const withheld: Message[] = [];
  sim.setDeliveryFilter((m) => {
    if (m.type === 'COMMIT' && m.view === 0) return false;
    if (m.type === 'NEW_VIEW') {
      newViews.set(`${m.sender}|${m.view}`, m);
      return false;
    }
    // Replica 0 never hears replica 3 ask for view 2: it can still be asked, by a liar at 3.
    if (m.type === 'VIEW_CHANGE' && m.sender === 3 && m.view === 2 && m.receiver === 0) {
      withheld.push(m);
      return false;
    }
    heardBy[m.receiver]?.push(m);
    return true;
  });
  for (let t = 0; !newViews.has('2|2') && t < 20_000; ) sim.runUntil((t += 10));
  return { sim, heardBy, genuineNewView: newViews.get('2|2')!, genuineViewChange: withheld[0] };
}

/** The liar `id`'s context, signing with its real key (and only its own). */
function liar(sim: Simulation, id: NodeId): AdversaryContext {
  return {
    id,
    n: 4,
    behaviour: { kind: 'forge-new-view' },
    rng: { next: () => 0, uniform: (a) => a, chance: () => false, int: () => 0 },
    cabal: new Cabal(() => false),
    protocol: PBFT_KNOWLEDGE,
    transmit: () => {},
    sign: (m) => sim.signAs(id, m),
    setTimer: () => {},
    genuine: (r): r is ClientRequest => isClientRequest(r),
  };
}

/** What replica `to` says of `msg`, sent by `from` (signed by the host in `from`'s name, as on the wire). */
function verdict(sim: Simulation, to: NodeId, from: NodeId, msg: OutgoingMessage): string | undefined {
  const { sig: _sig, ...fields } = msg;
  const events = sim.inject(to, { ...fields, sender: from });
  const delivered = events.find((e) => e.kind === 'deliver');
  return delivered?.kind === 'deliver' ? (delivered.ignored ?? 'taken') : 'not delivered';
}

describe("PBFT's view-change lies, each told to an honest replica", () => {
  it('four forged VIEW-CHANGEs, each refused for what it cannot prove', () => {
    const { sim, heardBy, genuineViewChange } = stage();
    expect(genuineViewChange).toBeDefined();
    expect(LIES.viewChangeForgeries).toHaveLength(4);
    const reasons = LIES.viewChangeForgeries.map((_, kind) => verdict(sim, 0, 3, LIES.forgeViewChange(genuineViewChange, kind, heardBy[3], liar(sim, 3))));
    expect(reasons).toEqual([
      'rejected VIEW-CHANGE: its prepared certificate for #3 holds a PRE-PREPARE that replica 1 did not send',
      'rejected VIEW-CHANGE: the CHECKPOINT from replica 0 in its checkpoint proof for #3 was not sent by replica 0',
      expect.stringMatching(/^rejected VIEW-CHANGE: its prepared certificate for #[12] holds 1 PREPAREs from distinct backups, needs 2$/),
      'rejected VIEW-CHANGE: its prepared certificate for #2 holds a PRE-PREPARE that replica 0 did not send',
    ]);
    // The genuine one, for contrast, is taken.
    expect(verdict(sim, 0, 3, genuineViewChange)).toBe('taken');
  });

  it('five NEW-VIEWs from a new primary: four forged from rewritten, stale or short material, refused; one valid, taken', () => {
    const { sim, heardBy, genuineNewView } = stage();
    expect(genuineNewView).toBeDefined();
    expect(LIES.newViewForgeries).toHaveLength(5);
    const forged = LIES.newViewForgeries.map((_, kind) => LIES.forgeNewView(genuineNewView, kind, heardBy[2], liar(sim, 2)));
    const reasons = forged.map((nv) => verdict(sim, 0, 2, nv));
    expect(reasons.slice(0, 4)).toEqual([
      expect.stringMatching(/^rejected NEW-VIEW: the VIEW-CHANGE from replica \d in V was not sent by replica \d$/),
      expect.stringMatching(/^rejected NEW-VIEW: the VIEW-CHANGE from replica \d in V is for view 1, not 2$/),
      'rejected NEW-VIEW: V holds 2 VIEW-CHANGEs for view 2, needs 3',
      'rejected NEW-VIEW: O differs from V at #1',
    ]);
    expect(reasons[4]).toBe('taken');
    expect(sim.pbft(0).view).toBe(2);
    expect(sim.pbft(0).viewChanging).toBe(false);
  });

  it("the colluders' tools: a VIEW-CHANGE hiding everything (valid), one asking for a view on another's checkpoint proof, and a NEW-VIEW of chosen VIEW-CHANGEs", () => {
    const { sim, heardBy, genuineViewChange } = stage();
    expect(LIES.reveals(genuineViewChange, 1)).toBe(true);
    const hiding = LIES.hidingEverything(genuineViewChange);
    expect(LIES.reveals(hiding, 1)).toBe(false);
    expect(verdict(sim, 0, 3, hiding)).toBe('taken');
    // Replica 1 asks for view 3 on the checkpoint proof of the VIEW-CHANGE it heard from replica 2.
    const heardVc = heardBy[1].find((m) => m.type === 'VIEW_CHANGE' && m.sender === 2 && m.view === 2)!;
    expect(LIES.isViewChange(heardVc)).toBe(true);
    expect(LIES.isViewChange({ ...heardVc, payload: { stable: null, prepared: [null] } })).toBe(false);
    const asking = LIES.joining(3, heardVc);
    expect(asking).toMatchObject({ type: 'VIEW_CHANGE', view: 3, seq: 0 });
    expect(verdict(sim, 3, 1, asking)).toBe('taken');
    // A NEW-VIEW for view 2 of exactly three VIEW-CHANGEs replica 2 heard: valid, with O as they imply.
    const vcs = heardBy[2].filter((m) => m.type === 'VIEW_CHANGE' && m.view === 2).slice(0, 3);
    const { msg, decision } = LIES.newViewOf(2, vcs, liar(sim, 2));
    expect(decision.map((d) => d.seq)).toEqual([1, 2]);
    expect(verdict(sim, 0, 2, msg)).toBe('taken');
  });
});
