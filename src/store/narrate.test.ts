import { describe, expect, it } from 'vitest';
import { settingsAt } from '../sim/picture';
import { defaultScenario, replicaCount } from '../sim/scenario';
import { Session } from '../sim/session';
import { stepBy } from '../sim/stepping';
import type { Behaviour, MessageType, NodeId, Scenario, TraceEvent } from '../sim/types';
import { captionFor } from './describe';
import { explain } from './narrate';
import { emptyRun, mergeEvents } from './replay';
import { pictureAt } from './timeline';

describe("narration in the run's protocol's words", () => {
  const prepared: TraceEvent = { kind: 'phase', i: 0, t: 1, replica: 2, view: 0, seq: 1, digest: 'd', phase: 'prepared' };
  it('says what prepared means in PBFT (2f PREPAREs with the PRE-PREPARE) and in the seed (2f+1 PREPAREs)', () => {
    expect(explain([prepared], { n: 4, f: 1 })).toContain('the PRE-PREPARE and 2 matching PREPAREs (2f = 2)');
    expect(explain([prepared], { n: 4, f: 1, mode: 'pbft' })).toBe(explain([prepared], { n: 4, f: 1 }));
    expect(explain([prepared], { n: 4, f: 1, mode: 'seed' })).toContain('2f+1 = 3 matching PREPAREs');
  });
});

/** A run played happening by happening, as the page steps it, with who lied at each step. */
interface Step {
  events: TraceEvent[];
  behaviours: ReadonlyArray<Behaviour | null>;
}

function play(scenario: Scenario, until: (events: TraceEvent[]) => boolean, max = 5000): Step[] {
  const session = new Session(scenario);
  const n = replicaCount(scenario);
  const steps: Step[] = [];
  for (let k = 0; k < max; k++) {
    const p = stepBy(session, 'event');
    if (p.events.length === 0) break;
    steps.push({ events: p.events, behaviours: settingsAt(scenario, n, session.history, p.events[0].i).behaviours });
    if (until(p.events)) break;
  }
  return steps;
}

const narrate = (scenario: Scenario, step: Step) =>
  explain(step.events, { n: replicaCount(scenario), f: scenario.f, mode: scenario.mode, behaviours: step.behaviours });
const caption = (scenario: Scenario, step: Step) => captionFor(step.events, { behaviours: step.behaviours, mode: scenario.mode });

/** The messages of one type that really left `from` in this step: to whom, with which digest. */
function sendsOf(step: Step, from: NodeId, type: MessageType): Array<{ to: NodeId; digest: string }> {
  return step.events.flatMap((e) => (e.kind === 'send' && e.msg.from === from && e.msg.type === type ? [{ to: e.msg.to, digest: e.msg.digest }] : []));
}

function stepWhere(steps: Step[], test: (e: TraceEvent) => boolean): Step {
  const step = steps.find((s) => s.events.some(test));
  expect(step, 'the step exists in the run').toBeDefined();
  return step!;
}

const proposalStep = (steps: Step[], primary: NodeId) => stepWhere(steps, (e) => e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica === primary && e.view === 0);

describe('the narration says what a malicious replica actually did', () => {
  it('a silent primary that receives a REQUEST sends nothing, and is not said to multicast PRE-PREPARE', () => {
    const scenario = defaultScenario({ f: 1, malicious: { 0: { kind: 'silent' } } });
    const steps = play(scenario, (events) => events.some((e) => e.kind === 'phase' && e.phase === 'pre-prepared'));
    const step = proposalStep(steps, 0);
    expect(step.events[0]).toMatchObject({ kind: 'deliver', msg: { type: 'REQUEST', to: 0 } });
    expect(step.events.filter((e) => e.kind === 'send')).toEqual([]);
    const words = narrate(scenario, step);
    expect(words).not.toMatch(/multicasts PRE-PREPARE/);
    expect(words).toContain('Replica 0 is silent (crashed)');
    expect(words).toContain('no PRE-PREPARE for #1 leaves it');
    expect(caption(scenario, step)).toContain('Replica 0 sent no PRE-PREPARE (silent)');
    // Without knowing who lies, the narration would have told the honest story: that is what it must not assume.
    expect(explain(step.events, { n: 4, f: 1 })).toMatch(/multicasts PRE-PREPARE to the 3 backups/);
  });

  it("the seed's liar as primary gives every backup a different digest, and is narrated as such", () => {
    const scenario = defaultScenario({ f: 3, malicious: { 0: { kind: 'seed' }, 1: { kind: 'seed' }, 2: { kind: 'seed' } } });
    const steps = play(scenario, (events) => events.some((e) => e.kind === 'phase' && e.phase === 'pre-prepared'));
    const step = proposalStep(steps, 0);
    const sent = sendsOf(step, 0, 'PRE_PREPARE');
    const held = step.events.find((e) => e.kind === 'phase' && e.replica === 0)!;
    expect(sent).toHaveLength(9);
    expect(new Set(sent.map((s) => s.digest)).size).toBe(9);
    expect(sent.some((s) => held.kind === 'phase' && s.digest === held.digest)).toBe(false);
    const words = narrate(scenario, step);
    expect(words).not.toMatch(/proposes an order/);
    expect(words).toContain('gives each of the 9 other replicas a different digest');
    expect(caption(scenario, step)).toContain('sent 9 PRE-PREPARE with 9 different digests');
  });

  it('an equivocating primary is narrated with who got which digest, as the sends show', () => {
    const scenario = defaultScenario({ f: 1, malicious: { 0: { kind: 'equivocate' } } });
    const steps = play(scenario, (events) => events.some((e) => e.kind === 'phase' && e.phase === 'pre-prepared'));
    const step = proposalStep(steps, 0);
    const held = step.events.find((e) => e.kind === 'phase' && e.replica === 0);
    const sent = sendsOf(step, 0, 'PRE_PREPARE');
    const told = sent.filter((s) => held?.kind === 'phase' && s.digest === held.digest).map((s) => s.to);
    const lied = sent.filter((s) => !told.includes(s.to)).map((s) => s.to);
    expect(told.length).toBeGreaterThan(0);
    expect(lied.length).toBeGreaterThan(0);
    const words = narrate(scenario, step);
    expect(words).toContain('tells different replicas different things');
    const name = (ids: NodeId[]) => (ids.length === 1 ? `replica ${ids[0]}` : `replicas ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);
    expect(words).toContain(`${name(told)} the digest it holds`);
    expect(words).toContain(`${name(lied)} digest`);
  });

  it('a forged vote, a withheld vote and a late one are called what they are', () => {
    // Replica 1 lies as a backup; each behaviour in turn.
    const cases: Array<[Behaviour, RegExp, (sent: Array<{ digest: string }>, held: string) => boolean]> = [
      // It knows no other request yet, so every second replica is told the null request.
      [
        { kind: 'equivocate' },
        /tells different replicas different things: its PREPARE for #1 gives replicas 0 and 3 the digest it holds \(\w+\); replica 2 digest null/,
        (sent, held) => sent.length === 3 && sent.filter((s) => s.digest === held).length === 2 && sent.some((s) => s.digest === 'null'),
      ],
      [{ kind: 'omit', omitProbability: 1 }, /withholds its PREPARE for #1: nobody receives it/, (sent) => sent.length === 0],
      [{ kind: 'slow', extraDelayMs: 40 }, /arrives 40 ms later than the network alone/, (sent, held) => sent.length === 3 && sent.every((s) => s.digest === held)],
    ];
    for (const [behaviour, expected, wire] of cases) {
      const scenario = defaultScenario({ f: 1, malicious: { 1: behaviour } });
      const steps = play(scenario, (events) => events.some((e) => e.kind === 'phase' && e.replica === 1));
      const step = stepWhere(steps, (e) => e.kind === 'phase' && e.replica === 1 && e.phase === 'pre-prepared');
      const held = step.events.find((e) => e.kind === 'phase' && e.replica === 1);
      expect(wire(sendsOf(step, 1, 'PREPARE'), held?.kind === 'phase' ? held.digest : ''), behaviour.kind).toBe(true);
      expect(narrate(scenario, step), behaviour.kind).toMatch(expected);
    }
  });

  it('a client fooled by more than f liars is told so, not that one reply must be honest', () => {
    const scenario = defaultScenario({ n: 10, f: 3, seed: 11, malicious: { 0: { kind: 'seed' }, 2: { kind: 'seed' }, 5: { kind: 'seed' }, 9: { kind: 'seed' } } });
    const steps = play(scenario, (events) => events.some((e) => e.kind === 'accept'), 20_000);
    const step = stepWhere(steps, (e) => e.kind === 'accept');
    const accept = step.events.find((e) => e.kind === 'accept')!;
    expect(accept).toMatchObject({ fooled: true });
    // The trace agrees: no replica that is not a liar executed anything before the client accepted.
    const honestExecutions = steps.flatMap((s) => s.events).filter((e) => e.kind === 'phase' && e.phase === 'executed' && !scenario.malicious[e.replica]);
    expect(honestExecutions).toEqual([]);
    const words = narrate(scenario, step);
    expect(words).toContain('The client has been fooled');
    expect(words).not.toMatch(/at least one of them is honest/);
    expect(caption(scenario, step)).toContain('FOOLED');
  });

  it('a replica made malicious mid-run is narrated as malicious from that moment on (the picture’s settings)', () => {
    const scenario = defaultScenario({ f: 1 });
    const session = new Session(scenario);
    session.intervene({ kind: 'setBehaviour', id: 0, behaviour: { kind: 'silent' } });
    const run = emptyRun(1, undefined, scenario);
    run.n = 4;
    run.f = 1;
    run.interventions = [...session.history];
    const events: TraceEvent[] = [];
    const starts: number[] = [];
    for (let k = 0; k < 10; k++) {
      const p = stepBy(session, 'event');
      events.push(...p.events);
      starts.push(...p.starts);
    }
    mergeEvents(run, 0, events, starts);
    const proposed = events.find((e) => e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica === 0)!;
    const shown = pictureAt(run, proposed.i + 1, proposed.t, 0, 1);
    expect(shown.explanation).toContain('Replica 0 is silent (crashed)');
    expect(shown.caption).toContain('Replica 0 sent no PRE-PREPARE (silent)');
    // The settings are what tells the narration who lies: without the intervention it would assume an honest primary.
    run.interventions = [];
    expect(pictureAt(run, proposed.i + 1, proposed.t, 0, 1).explanation).toMatch(/multicasts PRE-PREPARE/);
  });
});

describe('the narration claims no send that did not happen', () => {
  /** The replica a sentence is about: the first one it names. */
  const subjectOf = (words: string): NodeId | null => {
    const m = /Replica (\d+)/.exec(words);
    return m ? Number(m[1]) : null;
  };
  const TYPES: Record<string, MessageType> = { 'PRE-PREPARE': 'PRE_PREPARE', PREPARE: 'PREPARE', COMMIT: 'COMMIT', 'VIEW-CHANGE': 'VIEW_CHANGE', 'NEW-VIEW': 'NEW_VIEW', REPLY: 'REPLY' };

  it('for every behaviour, in both protocols, every step of a run: what it says was sent was sent, what it says was withheld was not', () => {
    let checked = 0;
    for (const mode of ['pbft', 'seed'] as const) {
      for (const kind of ['silent', 'equivocate', 'omit', 'slow', 'collude', 'seed'] as const) {
        for (const seed of [1, 2, 3]) {
          const liars: Record<number, Behaviour> = kind === 'collude' ? { 0: { kind }, 1: { kind } } : { [seed % 4]: { kind } };
          const scenario = defaultScenario({ mode, f: 1, seed, requests: 2, concurrency: 2, dropRate: seed === 3 ? 0.1 : 0, malicious: liars });
          for (const step of play(scenario, () => false, 400)) {
            const words = narrate(scenario, step);
            const who = subjectOf(words);
            if (who === null) continue;
            const sent = new Set(step.events.flatMap((e) => (e.kind === 'send' && e.msg.from === who ? [e.msg.type] : [])));
            for (const m of words.matchAll(/(?:multicasts?|sends its|sends its [A-Z-]+ for it) (PRE-PREPARE|PREPARE|COMMIT|VIEW-CHANGE|NEW-VIEW|REPLY)\b/g)) {
              expect(sent.has(TYPES[m[1]]), `${mode}/${kind}/seed ${seed}: "${words}" — ${m[1]} from replica ${who}`).toBe(true);
              checked++;
            }
            if (/relays it to the primary/.test(words)) expect(sent.has('REQUEST'), words).toBe(true);
            for (const m of words.matchAll(/(?:no|withholds its) (PRE-PREPARE|PREPARE|COMMIT|VIEW-CHANGE|NEW-VIEW)(?: for #\d+)? (?:leaves it|: nobody)/g)) {
              expect(sent.has(TYPES[m[1]]), `${mode}/${kind}/seed ${seed}: "${words}"`).toBe(false);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

describe("HotStuff's and Tendermint's leaders and new views, in their own words", () => {
  const all = (scenario: Scenario, steps: Step[]) => steps.map((s) => narrate(scenario, s));

  it("Tendermint: the proposer named is the replica that really sent the PROPOSAL (height 1's, at n = 4, is replica 1)", () => {
    const scenario = defaultScenario({ mode: 'tendermint', f: 1, requests: 2 });
    const steps = play(scenario, () => false, 400);
    const proposing = steps.filter((s) => s.events.some((e) => e.kind === 'send' && e.msg.type === 'PROPOSAL'));
    expect(proposing.length).toBeGreaterThanOrEqual(2);
    for (const step of proposing) {
      const proposer = step.events.find((e) => e.kind === 'send' && e.msg.type === 'PROPOSAL')!;
      const phase = step.events.find((e) => e.kind === 'phase' && e.phase === 'pre-prepared')!;
      if (proposer.kind !== 'send' || phase.kind !== 'phase') throw new Error('unreachable');
      expect(narrate(scenario, step)).toContain(`The proposer of height ${phase.seq}, round ${phase.view} (Replica ${proposer.msg.from}) multicasts PROPOSAL`);
    }
    expect(all(scenario, proposing).join(' ')).toContain('The proposer of height 1, round 0 (Replica 1)');
    // Nobody else is called the proposer: the replicas that only prevoted are told as prevoting.
    for (const words of all(scenario, steps)) expect(words).not.toMatch(/The proposer of height 1, round 0 \(Replica [023]\)/);
  });

  it('Tendermint: a slow replica 0, not a proposer of height 1, is never said to withhold a PROPOSAL nobody heard', () => {
    const scenario = defaultScenario({ mode: 'tendermint', f: 1, requests: 2, malicious: { 0: { kind: 'slow' } } });
    const steps = play(scenario, () => false, 400);
    for (const step of steps) {
      const words = narrate(scenario, step);
      expect(words).not.toMatch(/Replica 0 is malicious \(slow\) and withholds its PROPOSAL/);
      expect(words).not.toMatch(/Nobody hears a proposal/);
    }
    expect(steps.some((s) => s.events.some((e) => e.kind === 'deliver' && e.msg.type === 'PROPOSAL' && e.msg.from === 1))).toBe(true);
  });

  it('Tendermint: a round ends by its timeouts, with the next proposer named, and never a VIEW-CHANGE or NEW-VIEW', () => {
    const scenario = defaultScenario({ mode: 'tendermint', f: 1, requests: 2, malicious: { 1: { kind: 'silent' } } });
    const steps = play(scenario, () => false, 400);
    const words = all(scenario, steps);
    // Not PBFT's words either for the client's request and its relays: proposers rotate, there is no primary.
    for (const w of words) expect(w).not.toMatch(/VIEW-CHANGE|NEW-VIEW|primary/);
    expect(words.some((w) => /relays it to every replica, as proposers rotate/.test(w))).toBe(true);
    const roundChanges = steps.filter((s) => s.events.some((e) => e.kind === 'new-view' && e.view > 0) && !s.events.some((e) => e.kind === 'phase' && e.phase === 'executed'));
    expect(roundChanges.length).toBeGreaterThan(0);
    for (const step of roundChanges) {
      const entered = step.events.find((e) => e.kind === 'new-view')!;
      if (entered.kind !== 'new-view') throw new Error('unreachable');
      const w = narrate(scenario, step);
      expect(w).toMatch(new RegExp(`(timeoutPrecommit expired|f\\+1 = 2 replicas).*round ${entered.view}, whose proposer is Replica ${entered.primary}`));
      expect(w).toContain('no view-change protocol');
    }
  });

  it('Tendermint: a decision is told as one, with the next height, not as a new view', () => {
    const scenario = defaultScenario({ mode: 'tendermint', f: 1, requests: 1 });
    const steps = play(scenario, () => false, 400);
    const decided = stepWhere(steps, (e) => e.kind === 'phase' && e.phase === 'executed');
    expect(narrate(scenario, decided)).toMatch(/executes height 1 .*starts height 2 at round 0, whose proposer is Replica 2/);
  });

  it("HotStuff: a silent leader's view ends by the pacemaker — view timers and NEW-VIEWs with prepareQCs to the next leader — not PBFT's view change", () => {
    const scenario = defaultScenario({ mode: 'hotstuff', f: 1, requests: 1, malicious: { 0: { kind: 'silent' } } });
    const steps = play(scenario, () => false, 400);
    const words = all(scenario, steps);
    for (const w of words) expect(w).not.toMatch(/VIEW-CHANGE|primary|checked the NEW-VIEW|starts a view change/);
    const timedOut = steps.filter((s) => s.events.some((e) => e.kind === 'view-change' && e.replica !== 0));
    expect(timedOut.length).toBeGreaterThan(0);
    for (const step of timedOut) {
      const vc = step.events.find((e) => e.kind === 'view-change')!;
      if (vc.kind !== 'view-change') throw new Error('unreachable');
      const leader = step.events.find((e) => e.kind === 'new-view')!;
      if (leader.kind !== 'new-view') throw new Error('unreachable');
      const w = narrate(scenario, step);
      expect(w).toContain(`view timer expired with no new QC in view ${vc.view - 1}`);
      if (sendsOf(step, vc.replica, 'HS_NEW_VIEW').length > 0) expect(w).toContain(`sends NEW-VIEW with its prepareQC to Replica ${leader.primary}, the leader of view ${vc.view}`);
      else expect(w).toContain(`it leads view ${vc.view} itself`);
    }
  });

  it('HotStuff: a decision is told as an execution followed by the next view, its NEW-VIEW only where one left', () => {
    const scenario = defaultScenario({ mode: 'hotstuff', f: 1, requests: 1 });
    const steps = play(scenario, () => false, 400);
    const decisions = steps.filter((s) => s.events.some((e) => e.kind === 'phase' && e.phase === 'executed') && s.events.some((e) => e.kind === 'new-view'));
    expect(decisions.length).toBeGreaterThan(0);
    for (const step of decisions) {
      const w = narrate(scenario, step);
      expect(w).toMatch(/executes height 1/);
      expect(w).not.toMatch(/VIEW-CHANGE|new primary|checked the NEW-VIEW/);
    }
  });
});

describe("a liar's proposal in the step it enters a round or view", () => {
  it("Tendermint: round 1's silent proposer is said to withhold its PROPOSAL as it starts the round (no NEW-VIEW carries one)", () => {
    // Round 0's proposer of height 1 is silent, and so is round 1's: it starts the round and proposes, but nothing leaves it.
    const scenario = defaultScenario({ mode: 'tendermint', f: 2, requests: 1, malicious: { 1: { kind: 'silent' }, 2: { kind: 'silent' } } });
    const steps = play(scenario, () => false, 800);
    const step = stepWhere(steps, (e) => e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica === 2 && e.view === 1);
    expect(step.events.some((e) => e.kind === 'new-view' && e.replica === 2 && e.view === 1)).toBe(true);
    expect(sendsOf(step, 2, 'PROPOSAL')).toEqual([]);
    expect(narrate(scenario, step)).toContain('The proposer of height 1, round 1 (Replica 2) proposes a value. Replica 2 is silent (crashed): no PROPOSAL for #1 leaves it');
  });
});

describe('HotStuff and Tendermint, through a lossy network, never in PBFT’s words', () => {
  it.each([
    ['hotstuff', 'HotStuff'],
    ['chained-hotstuff', 'Chained HotStuff'],
    ['tendermint', 'Tendermint'],
  ] as const)('%s: a lost message is its loss, and no step speaks of PBFT, a primary or a VIEW-CHANGE', (mode, name) => {
    const scenario = defaultScenario({ mode, f: 1, requests: 3, dropRate: 0.2, seed: 4 });
    const steps = play(scenario, () => false, 1500);
    const words = steps.map((s) => narrate(scenario, s));
    for (const w of words) expect(w).not.toMatch(/PBFT|primary|VIEW-CHANGE/);
    expect(words.some((w) => w.includes(`${name} needs only quorums`))).toBe(true);
  });
});

describe("HotStuff's messages name the node, not the request", () => {
  it.each(['slow', 'omit'] as const)('a %s replica that votes for the leaf it was shown is never called a forger, and its vote goes to the leader alone', (kind) => {
    const scenario = defaultScenario({ mode: 'hotstuff', f: 1, requests: 2, malicious: { 2: { kind, extraDelayMs: 40 } } });
    const steps = play(scenario, () => false, 400);
    const words = steps.map((s) => narrate(scenario, s));
    // Its votes really left it, each to one replica, the leader of their view.
    const votes = steps.flatMap((s) => s.events.filter((e) => e.kind === 'send' && e.msg.from === 2 && e.msg.type.startsWith('HS_VOTE')));
    expect(votes.length).toBeGreaterThan(0);
    for (const w of words) {
      expect(w).not.toMatch(/forged|not the one it holds/);
      expect(w).not.toMatch(/Replica 2 is malicious[^.]*: it sends its vote [A-Z-]+ for #\d+ to replica \d only and withholds it/);
    }
  });
});

describe("HotStuff's leader messages that move no phase", () => {
  it('a replica shown the prepareQC in PRE-COMMIT is told to keep it and vote PRE-COMMIT, not left without a word', () => {
    const scenario = defaultScenario({ mode: 'hotstuff', f: 1, requests: 1 });
    const steps = play(scenario, () => false, 400);
    const shown = steps.filter((s) => s.events[0].kind === 'deliver' && s.events[0].msg.type === 'HS_PRE_COMMIT' && s.events.some((e) => e.kind === 'send' && e.msg.type === 'HS_VOTE_PRE_COMMIT'));
    expect(shown.length).toBeGreaterThan(0);
    for (const step of shown) expect(narrate(scenario, step)).toMatch(/keeps the prepareQC the leader shows for height 1 .* and votes PRE-COMMIT, to the leader only/);
  });
});

describe('the narration counts quorums as the replicas do', () => {
  it('at n = 5 (f = 1) PBFT and Tendermint need 4 matching votes, and the words say 4, not 2f+1 = 3', () => {
    for (const [mode, vote] of [
      ['pbft', 'COMMIT'],
      ['tendermint', 'PRECOMMIT'],
    ] as const) {
      const scenario = defaultScenario({ f: 1, n: 5, mode });
      const steps = play(scenario, (events) => events.some((e) => e.kind === 'phase' && e.phase === 'executed'));
      const voteStep = stepWhere(steps, (e) => e.kind === 'deliver' && e.msg.type === vote);
      const words = narrate(scenario, voteStep);
      expect(words, mode).toMatch(new RegExp(`\\b4 (matching ones|for one value)`));
      expect(words, mode).not.toMatch(/2f\+1/);
    }
    // At n = 3f + 1 the paper's sum is said as before.
    const classic = defaultScenario({ f: 1 });
    const steps = play(classic, (events) => events.some((e) => e.kind === 'deliver' && e.msg.type === 'COMMIT'));
    expect(narrate(classic, steps.at(-1)!)).toMatch(/2f\+1 = 3 matching ones/);
  });
});
