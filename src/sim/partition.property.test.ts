/**
 * Partitions and faulty links, as properties over random runs (fast-check), judged from the trace alone: while a cut
 * stands no message crosses it; what a cut holds is released at Heal and delivered afterwards, in the order it was sent;
 * with at most f liars the honest replicas execute one history whatever is cut, held or slowed; and once the network is
 * healed and calm, every request is accepted (honest replicas).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { separates } from './network';
import { defaultScenario, replicaCount } from './scenario';
import { encodeShare } from './share';
import { Simulation } from './simulation';
import { BEHAVIOURS, CLIENT, CUT_RULES, type Behaviour, type LinkFault, type Partition, type Scenario, type TraceEvent } from './types';

const CASES = Number(process.env.PARTITION_CASES ?? 200);

/** A run's plan: its scenario (a partition may stand from the start) and the cuts and heals a person makes, in time order. */
interface Plan {
  scenario: Scenario;
  changes: Array<{ at: number; partition: Partition | null }>;
}

/** Scenarios with at most `maxLiars` liars (m ≤ f at most), random links, and a few cuts and heals, ending healed by `healBy`. */
const plans = ({ liars, lossyLinks, healBy }: { liars: boolean; lossyLinks: boolean; healBy: number }) =>
  fc
    .record({
      f: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      minDelayMs: fc.integer({ min: 0, max: 20 }),
      spread: fc.integer({ min: 0, max: 40 }),
      dropRate: fc.double({ min: 0, max: 0.1, noNaN: true }),
      requests: fc.integer({ min: 1, max: 3 }),
      concurrency: fc.integer({ min: 1, max: 2 }),
      fromStart: fc.boolean(),
      rule: fc.constantFrom(...CUT_RULES),
      times: fc.array(fc.integer({ min: 0, max: healBy }), { minLength: 1, maxLength: 4 }),
      rules: fc.array(fc.constantFrom(...CUT_RULES), { minLength: 4, maxLength: 4 }),
      sides: fc.array(fc.array(fc.boolean(), { minLength: 101, maxLength: 101 }), { minLength: 5, maxLength: 5 }),
      liars: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom(...BEHAVIOURS) }), { maxLength: liars ? 3 : 0 }),
      links: fc.array(
        fc.record({ a: fc.nat(), b: fc.nat(), extraDelayMs: fc.integer({ min: 0, max: 200 }), dropRate: lossyLinks ? fc.double({ min: 0, max: 0.6, noNaN: true }) : fc.constant(0) }),
        { maxLength: 3 },
      ),
    })
    .map((g): Plan => {
      const n = 3 * g.f + 1;
      const sideOf = (bits: boolean[]) => {
        const s = bits.slice(0, n + 1).flatMap((b, k) => (b ? [k === n ? CLIENT : k] : []));
        return s.length > 0 && s.length < n + 1 ? s : [0];
      };
      const malicious: Record<number, Behaviour> = {};
      for (const liar of g.liars.slice(0, g.f)) malicious[liar.at % n] = { kind: liar.kind };
      const links: LinkFault[] = [];
      for (const l of g.links) {
        const [a, b] = [(l.a % (n + 1)) - 1, (l.b % (n + 1)) - 1].sort((x, y) => x - y);
        if (a !== b && !links.some((m) => m.a === a && m.b === b)) links.push({ a, b, extraDelayMs: l.extraDelayMs, dropRate: l.dropRate });
      }
      const scenario = defaultScenario({
        f: g.f,
        seed: g.seed,
        minDelayMs: g.minDelayMs,
        maxDelayMs: g.minDelayMs + g.spread,
        dropRate: g.dropRate,
        requests: g.requests,
        concurrency: g.concurrency,
        malicious,
        ...(links.length > 0 ? { links } : {}),
        ...(g.fromStart ? { partition: sideOf(g.sides[4]), partitionRule: g.rule } : {}),
      });
      // Cuts and heals alternate, the last one a heal.
      const times = [...g.times].sort((x, y) => x - y);
      const changes = times.map((at, k) => {
        const heal = (times.length - 1 - k) % 2 === 0;
        return { at, partition: heal ? null : { side: sideOf(g.sides[k]), rule: g.rules[k] } };
      });
      return { scenario, changes };
    });

/** Plays a plan: the scenario's partition from the start, each cut or heal at its time; returns where each began in the trace. */
function play(plan: Plan, limitMs: number): { sim: Simulation; marks: Array<{ index: number; partition: Partition | null }> } {
  const sim = new Simulation(plan.scenario);
  const start = plan.scenario.partition ? { side: plan.scenario.partition, rule: plan.scenario.partitionRule ?? 'lose' } : null;
  const marks: Array<{ index: number; partition: Partition | null }> = [{ index: 0, partition: start }];
  for (const change of plan.changes) {
    sim.runUntil(change.at);
    marks.push({ index: sim.trace.length, partition: change.partition });
    sim.setPartition(change.partition);
  }
  sim.runToQuiescence(limitMs);
  return { sim, marks };
}

/** The partition standing at trace event i (the last change at or before it). */
function standingAt(marks: ReadonlyArray<{ index: number; partition: Partition | null }>, i: number): Partition | null {
  let p: Partition | null = null;
  for (const m of marks) if (m.index <= i) p = m.partition;
  return p;
}

const hintOf = (plan: Plan) =>
  `scenario ${JSON.stringify(plan.scenario)}, changes ${JSON.stringify(plan.changes)}\nlink: http://localhost:5173/?${encodeShare({ scenario: plan.scenario, speed: 20, preset: null })}`;

const honestOf = (sim: Simulation) => sim.replicaList.map((r) => r.id).filter((id) => !sim.scenario.malicious[id]);

function expectOneHistory(sim: Simulation, hint: string): void {
  const logs = honestOf(sim).map((id) => sim.replicaList[id].executedLog.map((e) => `${e.seq}:${e.digest}`));
  const longest = logs.reduce((a, b) => (b.length > a.length ? b : a), []);
  for (const log of logs) expect(log, hint).toEqual(longest.slice(0, log.length));
}

describe('the network rule for partitions (property)', () => {
  it('no message crosses a cut while it stands; what a cut holds is delivered after Heal, in the order it was sent', () => {
    fc.assert(
      fc.property(plans({ liars: true, lossyLinks: true, healBy: 3_000 }), (plan) => {
        const hint = hintOf(plan);
        const { sim, marks } = play(plan, 20_000);
        const trace = sim.trace;
        const sendOf = new Map<number, Extract<TraceEvent, { kind: 'send' }>>();
        /** Messages waiting at a cut, and those released and not yet delivered, by id. */
        const waiting = new Set<number>();
        const released: number[] = [];
        for (const e of trace) {
          const cut = standingAt(marks, e.i);
          if (e.kind === 'send') {
            sendOf.set(e.msg.id, e);
            if (separates(cut, e.msg.from, e.msg.to)) expect(e.lost || e.held === true, `a message sent across the cut is lost or held\n${hint}`).toBe(true);
            if (e.held) {
              expect(cut?.rule, hint).toBe('hold');
              waiting.add(e.msg.id);
            }
          } else if (e.kind === 'hold') {
            expect(cut?.rule, hint).toBe('hold');
            waiting.add(e.msg.id);
          } else if (e.kind === 'release') {
            expect(waiting.delete(e.msg.id), `released only what waited\n${hint}`).toBe(true);
            expect(separates(cut, e.msg.from, e.msg.to), hint).toBe(false);
            released.push(e.msg.id);
          } else if (e.kind === 'drop' && e.held) {
            expect(waiting.delete(e.msg.id), `lost at the cut only what waited there\n${hint}`).toBe(true);
          } else if (e.kind === 'deliver') {
            expect(separates(cut, e.msg.from, e.msg.to), `delivered across a standing cut: ${JSON.stringify(e)}\n${hint}`).toBe(false);
            expect(waiting.has(e.msg.id), hint).toBe(false);
          }
        }
        // The last change heals: nothing waits at the end, and every release was delivered, in the order sent.
        expect(waiting.size, hint).toBe(0);
        // Each released message arrives — unless a later cut caught it on the wire and lost it there.
        const delivered = trace.filter((e) => e.kind === 'deliver' && released.includes(e.msg.id)).map((e) => (e.kind === 'deliver' ? e.msg.id : -1));
        const caught = trace.filter((e) => e.kind === 'drop' && e.by === 'partition' && released.includes(e.msg.id)).map((e) => (e.kind === 'drop' ? e.msg.id : -1));
        expect([...delivered, ...caught].sort((a, b) => a - b), hint).toEqual([...new Set(released)].sort((a, b) => a - b));
        // What each cut or heal released is delivered in the order it was sent (and so, on every link, in order).
        marks.forEach((mark, k) => {
          const end = marks[k + 1]?.index ?? Number.POSITIVE_INFINITY;
          // A message a later cut caught again waits anew: it counts with the release that finally let it go.
          const lastRelease = new Map(trace.flatMap((e) => (e.kind === 'release' ? [[e.msg.id, e.i] as const] : [])));
          const batch = new Set([...lastRelease].filter(([, i]) => i >= mark.index && i < end).map(([id]) => id));
          const order = delivered.filter((id) => batch.has(id));
          expect(order, hint).toEqual([...order].sort((a, b) => a - b));
        });
        expect(sim.stats().held, hint).toBe(0);
      }),
      { numRuns: CASES },
    );
  }, 300_000);
});

describe('safety with partitions and faulty links, m ≤ f (property)', () => {
  it('honest replicas execute one history, and the checker finds no violation', () => {
    fc.assert(
      fc.property(plans({ liars: true, lossyLinks: true, healBy: 4_000 }), (plan) => {
        const hint = hintOf(plan);
        const { sim } = play(plan, 10_000);
        expectOneHistory(sim, hint);
        expect(sim.stats().violations, hint).toEqual([]);
      }),
      { numRuns: CASES },
    );
  }, 300_000);
});

describe('liveness after Heal (property)', () => {
  // With honest replicas: partitions, slow links and a little loss are the only faults. (With a liar besides, a replica
  // cut off while the others installed a view can wait for a NEW-VIEW nobody sends it again: the core's view-change
  // retransmission, not the network rule.)
  it('once the partition is healed and the network calm, every request is accepted within a bound', () => {
    fc.assert(
      fc.property(plans({ liars: false, lossyLinks: false, healBy: 3_000 }), (plan) => {
        const hint = hintOf(plan);
        const healedAt = plan.changes[plan.changes.length - 1].at;
        const sim = new Simulation(plan.scenario, { recordTrace: false });
        for (const change of plan.changes) {
          sim.runUntil(change.at);
          sim.setPartition(change.partition);
        }
        sim.setNetwork({ dropRate: 0 });
        const s = plan.scenario;
        const n = replicaCount(s);
        const T = s.viewChangeTimeoutMs;
        const C = s.clientTimeoutMs;
        const slowest = Math.max(0, ...(s.links ?? []).map((l) => l.extraDelayMs));
        const round = 10 * ((s.maxDelayMs + slowest) * 2 + 1);
        // As the liveness property without partitions bounds it, counting the time the partition stood as time lost.
        const bound = healedAt + 2 ** (s.f + 3) * (healedAt + 2 * T + C + round) + s.requests * (C + 32 * T + round) + n;
        sim.runToQuiescence(bound);
        const stats = sim.stats();
        if (stats.committed !== s.requests) throw new Error(`only ${stats.committed}/${s.requests} requests accepted by t = ${bound} (${stats.waitingBecause})\n${hint}`);
        expectOneHistory(sim, hint);
      }),
      { numRuns: CASES },
    );
  }, 300_000);
});

describe('a partition standing from the start', () => {
  const n = 4;
  it('loses every message across its cut (lose), or holds them all until Heal (hold)', () => {
    for (const rule of CUT_RULES) {
      const sim = new Simulation(defaultScenario({ f: 1, partition: [0], partitionRule: rule }));
      sim.runUntil(2_000);
      const across = sim.trace.filter((e) => e.kind === 'send' && separates({ side: [0] }, e.msg.from, e.msg.to));
      expect(across.length).toBeGreaterThan(0);
      for (const e of across) expect(e.kind === 'send' && (rule === 'lose' ? e.lost && e.by === 'partition' : e.held)).toBe(true);
      expect(sim.trace.some((e) => e.kind === 'deliver' && (e.msg.to === 0 || e.msg.from === 0))).toBe(false);
      expect(sim.stats().held).toBe(rule === 'hold' ? across.length : 0);
    }
    expect(n).toBe(replicaCount({ f: 1 }));
  });

  it('a side of one node against everyone else, written either way round, is the same cut', () => {
    const a = new Simulation(defaultScenario({ f: 1, partition: [0] }));
    const b = new Simulation(defaultScenario({ f: 1, partition: [CLIENT, 1, 2, 3] }));
    a.runUntil(3_000);
    b.runUntil(3_000);
    expect(b.trace).toEqual(a.trace);
  });
});

describe('the network draws the same with and without partitions and link faults where they do not apply', () => {
  it('a link fault of nothing leaves the trace as it was', () => {
    for (const seed of [1, 2, 3, 7, 42]) {
      const plain = new Simulation(defaultScenario({ f: 1, seed, dropRate: 0.1, reorderRate: 0.2, requests: 3 }));
      plain.runToQuiescence(20_000);
      // A fault of nothing on a link: the links' own stream is never drawn from, the network's draws are unchanged.
      const linked = new Simulation(defaultScenario({ f: 1, seed, dropRate: 0.1, reorderRate: 0.2, requests: 3, links: [{ a: CLIENT, b: 3, extraDelayMs: 0, dropRate: 0 }] }));
      linked.runToQuiescence(20_000);
      expect(linked.trace, `seed ${seed}`).toEqual(plain.trace);
    }
  });

  it('a slow link delays exactly the messages across it, by its delay, and every other message as before', () => {
    const plain = new Simulation(defaultScenario({ f: 1, seed: 5, requests: 1 }));
    const slow = new Simulation(defaultScenario({ f: 1, seed: 5, requests: 1, links: [{ a: 0, b: 3, extraDelayMs: 300, dropRate: 0 }] }));
    plain.runUntil(60);
    slow.runUntil(60);
    const sends = (sim: Simulation) => sim.trace.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send');
    // The first PRE-PREPAREs (sent before anything the delay changes could differ).
    const pp = (sim: Simulation) => sends(sim).filter((e) => e.msg.type === 'PRE_PREPARE');
    expect(pp(slow).length).toBe(3);
    for (const [p, q] of pp(plain).map((e, k) => [e, pp(slow)[k]] as const)) {
      expect(q.arriveAt - p.arriveAt).toBeCloseTo(q.msg.to === 3 ? 300 : 0, 9);
    }
  });
});
