import { describe, expect, it } from 'vitest';
import { flightOf } from '../sim/picture';
import { defaultScenario } from '../sim/scenario';
import { Session } from '../sim/session';
import { stepBy } from '../sim/stepping';
import type { Scenario } from '../sim/types';
import { inProcessLab } from './labTestkit';
import { lessonById } from './lessons';
import { chooseQuestion, judge, nextWave, quorumValue, replicaList, type Question, type QuestionKind, type WireMessage } from './predict';
import { loadPredict, predictMoment, questionOnScreen, verdictOnScreen } from './predictSlice';

/**
 * A lab on this thread (the real worker host and core) with Predict on, stepped phase by phase until the question of
 * the moment is of `kind`. Returns it with the question.
 */
async function labAt(scenario: Scenario, kind: QuestionKind, maxPhases = 40) {
  const lab = inProcessLab({ scenario });
  await lab.frame();
  lab.actions.togglePredict();
  // The questions load the first time Predict is turned on.
  await loadPredict();
  for (let k = 0; k < maxPhases; k++) {
    const q = questionOnScreen(lab.store.getState());
    if (q?.kind === kind) return { ...lab, question: q };
    lab.actions.step('phase');
    await lab.frame();
  }
  throw new Error(`no ${kind} question within ${maxPhases} phases`);
}

/** Reveals the question on screen with `replicas` (or yes / no) as the room's answer, and lets the phase play. */
async function reveal(lab: Awaited<ReturnType<typeof labAt>>, answer: { replicas?: number[]; yes?: boolean }) {
  const { actions, store, question } = lab;
  if (answer.yes !== undefined) actions.setAnswerYes(answer.yes);
  if (answer.replicas) {
    // From what the picture already shows (the question's preset) to the room's answer, by toggling as a click does.
    const want = new Set(answer.replicas);
    for (let id = 0; id < store.getState().timeline.n; id++) if (want.has(id) !== question.preset.includes(id)) actions.toggleAnswerReplica(id);
  }
  actions.reveal();
  await lab.frame();
  await lab.frame();
  const verdict = verdictOnScreen(store.getState());
  if (!verdict) throw new Error('no verdict after the phase');
  return verdict;
}

const lesson = (id: string) => lessonById(id)!.scenario;

describe('replicaList and quorumValue', () => {
  it('name replicas as a sentence would, and read the descriptors’ quorum formulas', () => {
    expect(replicaList([])).toBe('no replica');
    expect(replicaList([2])).toBe('replica 2');
    expect(replicaList([3, 1])).toBe('replicas 1 and 3');
    expect(replicaList([0, 1, 2, 3])).toBe('replicas 0, 1, 2 and 3');
    expect(quorumValue('2f', 4, 1)).toBe(2);
    expect(quorumValue('2f+1', 10, 3)).toBe(7);
    expect(quorumValue('quorum', 1, 0)).toBe(1);
    // Beyond n = 3f + 1 the replicas count the run's quorum (PBFT, Tendermint) or n − f (HotStuff), not the paper's 2f + 1.
    expect(quorumValue('2f+1', 5, 1)).toBe(4);
    expect(quorumValue('2f', 5, 1)).toBe(3);
    expect(quorumValue('n − f', 6, 1, 'hotstuff')).toBe(5);
    // The seed article's nodes count 2f + 1 whatever n.
    expect(quorumValue('2f+1', 5, 1, 'seed')).toBe(3);
  });
});

describe('nextWave', () => {
  it('is the simulation’s own next phase (the type Next phase plays until), read from the picture’s messages', () => {
    for (const scenario of [lesson('normal-case'), lesson('silent-primary'), lesson('lossy-network'), lesson('equivocating-primary'), defaultScenario({ f: 1, mode: 'seed' }), defaultScenario({ f: 1, partition: [3], partitionRule: 'hold' })]) {
      const session = new Session(scenario);
      const wire = new Map<number, WireMessage>();
      for (let k = 0; k < 60; k++) {
        const expected = session.sim.nextArrivingType();
        expect(nextWave([...wire.values()])?.type ?? null).toBe(expected);
        const { events } = stepBy(session, 'phase');
        if (events.length === 0) break;
        for (const e of events) {
          if (e.kind === 'send') wire.set(e.msg.id, { ...flightOf(e.msg, e.t, e.arriveAt, e.lost, e.by ?? null, e.held === true), digest: e.msg.digest });
          else if (e.kind === 'hold') wire.set(e.msg.id, { ...wire.get(e.msg.id)!, held: true });
          else if (e.kind === 'release') wire.set(e.msg.id, { ...wire.get(e.msg.id)!, held: false, releasedAt: e.t, arriveAt: e.arriveAt });
          else if (e.kind === 'deliver' || e.kind === 'drop') wire.delete(e.msg.id);
        }
      }
    }
  });
});

describe('choosing a question', () => {
  it('asks nothing before the first step, nor when nothing more is scheduled', () => {
    const empty = { n: 4, f: 1, mode: 'pbft' as const, index: 0, replicas: [], wire: [], nextEventAt: 1, recent: [] };
    expect(chooseQuestion(empty)).toBeNull();
    expect(chooseQuestion({ ...empty, index: 5, nextEventAt: null })).toBeNull();
  });

  it('before the PRE-PREPAREs arrive (normal case, n = 4): which replicas will send PREPARE — 1, 2 and 3; the primary is excluded', async () => {
    const lab = await labAt(lesson('normal-case'), 'will-vote');
    expect(lab.question).toMatchObject({ shape: 'replicas', preset: [], target: { view: 0, seq: 1, timestamp: 1 } });
    expect(lab.question.text).toBe('Which replicas will send a PREPARE for request 1 (#1) once the PRE-PREPAREs have arrived?');
    const verdict = await reveal(lab, { replicas: [1, 2, 3] });
    expect(verdict.status).toBe('right');
    expect(verdict.truth.replicas).toEqual([1, 2, 3]);
    expect(verdict.reason).toBe(
      'Replicas 1, 2 and 3 accepted the PRE-PREPARE for #1 and multicast PREPARE. Replica 0 is the primary: its PRE-PREPARE stands for its vote, so it sends no PREPARE.',
    );
    expect(lab.store.getState().predict.score).toEqual({ asked: 1, right: 1 });
  });

  it('before the PREPARE wave (normal case): which will be prepared — every replica, the primary too (it counts the backups’ PREPAREs)', async () => {
    const lab = await labAt(lesson('normal-case'), 'prepared');
    // Quick PREPAREs overtook the PRE-PREPARE wave: the picture already shows 1 and 3 prepared, and the question says so.
    expect(lab.question.preset).toEqual([1, 3]);
    expect(lab.question.hint).toMatch(/Replicas 1 and 3 already are\./);
    const verdict = await reveal(lab, { replicas: [1, 2, 3] });
    expect(verdict.status).toBe('wrong');
    expect(verdict.truth.replicas).toEqual([0, 1, 2, 3]);
    expect(verdict.reason).toMatch(/^Replicas 0, 1, 2 and 3 are prepared for #1: each holds the PRE-PREPARE and 2f = 2 matching PREPAREs\./);
    expect(verdict.reason).toMatch(/Replica 0 is the primary: it sends no PREPARE \(its PRE-PREPARE stands for its vote\) and counts the backups'\./);
    expect(lab.store.getState().predict.score).toEqual({ asked: 1, right: 0 });
  });

  it('before the COMMITs and the REPLYs (normal case): every replica commits, and the client accepts with f+1 = 2', async () => {
    const lab = await labAt(lesson('normal-case'), 'committed');
    const committed = await reveal(lab, { replicas: [0, 1, 2, 3] });
    expect(committed).toMatchObject({ status: 'right', truth: { replicas: [0, 1, 2, 3] } });
    expect(committed.reason).toMatch(/each is prepared and holds 2f\+1 = 3 matching COMMITs/);
    lab.actions.dismissVerdict();
    const q = questionOnScreen(lab.store.getState());
    expect(q).toMatchObject({ kind: 'client-accepts', shape: 'yes-no' });
    const accepted = await reveal({ ...lab, question: q! }, { yes: true });
    expect(accepted).toMatchObject({ status: 'right', truth: { yes: true } });
    expect(accepted.reason).toMatch(/^Yes: the client accepted request 1: f\+1 = 2 matching REPLYs arrived/);
  });

  it('a silent primary: a view change starts when a timer runs out, and the next primary is replica 1', async () => {
    const lab = await labAt(lesson('silent-primary'), 'view-change');
    expect(lab.question.shape).toBe('yes-no');
    const started = await reveal(lab, { yes: true });
    expect(started).toMatchObject({ status: 'right', truth: { yes: true }, highlight: [1] });
    expect(started.reason).toMatch(/replica 1's view-change timer ran out before the request executed, so it suspects the primary \(replica 0\)/);
    lab.actions.dismissVerdict();
    const q = questionOnScreen(lab.store.getState());
    expect(q).toMatchObject({ kind: 'next-primary', shape: 'one-replica', target: { view: 1 } });
    const next = await reveal({ ...lab, question: q! }, { replicas: [2] });
    expect(next).toMatchObject({ status: 'wrong', truth: { replicas: [1] }, given: { replicas: [2] } });
    expect(next.reason).toBe('Replica 1 leads view 1: the primary of view v is v mod n, and 1 mod 4 = 1. It collected 2f+1 = 3 VIEW-CHANGEs and multicast NEW-VIEW.');
  });

  it('an equivocating primary: replica 2 rejects its PRE-PREPARE and sends no PREPARE; the liar’s COMMIT carries replicas 1 and 3 to committed, not replica 2', async () => {
    const lab = await labAt(lesson('equivocating-primary'), 'will-vote');
    const verdict = await reveal(lab, { replicas: [1, 2, 3] });
    expect(verdict).toMatchObject({ status: 'wrong', truth: { replicas: [1, 3] } });
    expect(verdict.reason).toMatch(/Replica 2 rejected its PRE-PREPARE \(digest does not match the request\)\./);
    lab.actions.dismissVerdict();
    for (let k = 0; k < 10 && questionOnScreen(lab.store.getState())?.kind !== 'committed'; k++) {
      lab.actions.step('phase');
      await lab.frame();
    }
    const q = questionOnScreen(lab.store.getState())!;
    const committed = await reveal({ ...lab, question: q }, { replicas: [] });
    // The liar's own COMMIT to replicas 1 and 3 names the request, so with each other's they hold 2f+1.
    expect(committed).toMatchObject({ status: 'wrong', truth: { replicas: [0, 1, 3] }, highlight: [0, 1, 3] });
    expect(committed.reason).toMatch(/Replicas 0, 1 and 3 are committed for #1: each is prepared and holds 2f\+1 = 3 matching COMMITs\./);
    expect(committed.reason).toMatch(/Replica 0 is malicious \(equivocate\): what a liar holds proves nothing to the others\./);
    expect(committed.reason).toMatch(/Replica 2 is not prepared for #1, so it cannot commit\./);
  });

  it('a lossy network: a lost PRE-PREPARE keeps replica 2 out, and one REPLY is not enough', async () => {
    const lab = await labAt(lesson('lossy-network'), 'will-vote');
    const verdict = await reveal(lab, { replicas: [1, 3] });
    expect(verdict).toMatchObject({ status: 'right', truth: { replicas: [1, 3] } });
    expect(verdict.reason).toMatch(/Replica 2 never got its PRE-PREPARE: it was lost\./);
    lab.actions.dismissVerdict();
    for (let k = 0; k < 10 && questionOnScreen(lab.store.getState())?.kind !== 'client-accepts'; k++) {
      lab.actions.step('phase');
      await lab.frame();
    }
    const q = questionOnScreen(lab.store.getState())!;
    const accepted = await reveal({ ...lab, question: q }, { yes: true });
    expect(accepted).toMatchObject({ status: 'wrong', truth: { yes: false } });
    expect(accepted.reason).toBe('No: the client holds 1 REPLY for request 1 (from replica 3); it needs f+1 = 2 matching ones, since up to f = 1 could lie.');
  });

  it('the seed’s protocol: its primary votes PREPARE with its PRE-PREPARE, and prepared takes 2f+1', async () => {
    const scenario = defaultScenario({ f: 2, mode: 'seed', malicious: { 3: { kind: 'seed' } } });
    const vote = await labAt(scenario, 'will-vote');
    expect(vote.question.preset).toEqual([0]);
    expect(vote.question.hint).toMatch(/Replica 0 already has\./);
    const voted = await reveal(vote, { replicas: [0, 1, 2, 3, 4, 5, 6] });
    expect(voted.status).toBe('right');
    expect(voted.reason).toMatch(/Replica 0, the primary, votes PREPARE along with its PRE-PREPARE\./);

    const prepared = await labAt(defaultScenario({ f: 1, mode: 'seed' }), 'prepared');
    const verdict = await reveal(prepared, { replicas: [0, 1, 2, 3] });
    expect(verdict).toMatchObject({ status: 'right', truth: { replicas: [0, 1, 2, 3] } });
    expect(verdict.reason).toMatch(/each holds the PRE-PREPARE and 2f\+1 = 3 matching PREPAREs\./);
    expect(verdict.reason).not.toMatch(/sends no PREPARE/);
  });

  it('the seed’s protocol has no view change: nothing asks about one, even with a silent primary', async () => {
    const lab = inProcessLab({ scenario: defaultScenario({ f: 1, mode: 'seed', malicious: { 0: { kind: 'silent' } } }) });
    await lab.frame();
    lab.actions.togglePredict();
    await loadPredict();
    const kinds = new Set<string>();
    for (let k = 0; k < 12; k++) {
      const q = questionOnScreen(lab.store.getState());
      if (q) kinds.add(q.kind);
      lab.actions.step('phase');
      await lab.frame();
    }
    expect(kinds.has('view-change')).toBe(false);
    expect(kinds.has('next-primary')).toBe(false);
  });
});

describe('judging', () => {
  it('is computed from what the phase did, not from the question: the same question judged on another outcome says otherwise', async () => {
    const lab = await labAt(lesson('normal-case'), 'will-vote');
    const before = predictMoment(lab.store.getState());
    const q: Question = lab.question;
    // Nothing happened: nobody sent a PREPARE.
    const none = judge(q, { replicas: [], yes: null }, before, [], before.replicas);
    expect(none).toMatchObject({ status: 'right', truth: { replicas: [] } });
    expect(none.reason).toMatch(/^No replica sent a PREPARE for #1\./);
    // Skipped: shown, not scored.
    expect(judge(q, null, before, [], before.replicas).status).toBe('skipped');
  });
});

describe('the Predict slice', () => {
  it('marks the room’s answer by toggling replicas, keeps a one-replica answer to one, and ignores replicas that do not exist', async () => {
    const lab = await labAt(lesson('normal-case'), 'will-vote');
    const { actions, store } = lab;
    actions.toggleAnswerReplica(2);
    actions.toggleAnswerReplica(1);
    actions.toggleAnswerReplica(9);
    expect(store.getState().predict.answer).toMatchObject({ key: lab.question.key, replicas: [1, 2] });
    actions.toggleAnswerReplica(2);
    expect(store.getState().predict.answer?.replicas).toEqual([1]);

    const vc = await labAt(lesson('silent-primary'), 'next-primary');
    vc.actions.toggleAnswerReplica(1);
    vc.actions.toggleAnswerReplica(3);
    expect(vc.store.getState().predict.answer?.replicas).toEqual([3]);
  });

  it('Next phase reveals an open question, then closes the verdict and asks the next; Skip plays unscored; off, it is Next phase', async () => {
    const lab = await labAt(lesson('normal-case'), 'will-vote');
    const { actions, store } = lab;
    const at = store.getState().timeline.index;
    actions.nextPhase();
    await lab.frame();
    await lab.frame();
    const after = store.getState().timeline.index;
    expect(after).toBeGreaterThan(at);
    // Nothing marked: the room said "no replica", and PREPAREs went out from 1, 2 and 3.
    expect(verdictOnScreen(store.getState())).toMatchObject({ status: 'wrong', given: { replicas: [] } });
    expect(store.getState().predict.score).toEqual({ asked: 1, right: 0 });

    actions.nextPhase();
    expect(verdictOnScreen(store.getState())).toBeNull();
    expect(store.getState().timeline.index).toBe(after);
    expect(questionOnScreen(store.getState())?.kind).toBe('prepared');

    actions.skipQuestion();
    await lab.frame();
    await lab.frame();
    expect(verdictOnScreen(store.getState())).toMatchObject({ status: 'skipped', given: null, truth: { replicas: [0, 1, 2, 3] } });
    expect(store.getState().predict.score).toEqual({ asked: 1, right: 0 });

    // Stepping elsewhere leaves the verdict behind: it belongs to the moment it was judged at.
    actions.step('event');
    await lab.frame();
    expect(verdictOnScreen(store.getState())).toBeNull();

    actions.togglePredict();
    expect(questionOnScreen(store.getState())).toBeNull();
    const before = store.getState().timeline.index;
    actions.nextPhase();
    await lab.frame();
    expect(store.getState().timeline.index).toBeGreaterThan(before);
    // The score is the session's: turning Predict off keeps it.
    expect(store.getState().predict.score).toEqual({ asked: 1, right: 0 });
  });

  it('a question its phase does not settle closes unscored, and says why (one replica asking for view 1 is not enough)', async () => {
    const lab = await labAt(lesson('lossy-network'), 'next-primary', 80);
    const { actions, store } = lab;
    actions.toggleAnswerReplica(1);
    actions.reveal();
    await lab.frame();
    await lab.frame();
    const verdict = verdictOnScreen(store.getState());
    expect(verdict).toMatchObject({ status: 'undecided', given: { replicas: [1] }, truth: { replicas: [] } });
    expect(verdict?.reason).toBe(
      'Not decided in this phase: no replica entered view 1 (replica 1 is still changing view). A new primary starts its view only with 2f+1 = 3 VIEW-CHANGEs, and the others join only when their own timers run out or f+1 = 2 replicas ask. Not scored.',
    );
    expect(store.getState().predict.score).toEqual({ asked: 0, right: 0 });
  });
});
