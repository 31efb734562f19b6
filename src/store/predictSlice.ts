/**
 * Predict mode: before the next phase the page asks the room a question (predict.ts chooses it from the moment on
 * screen), the lecturer marks the room's answer, Reveal plays the phase — exactly Next phase — and the verdict is
 * judged from the events that phase produced, with a running score for the session.
 *
 * The question is derived, never stored: it is a function of the moment on screen (`questionOnScreen`). What the
 * store keeps is the room's answer (for one question, by its key), the question being revealed while its phase plays,
 * the last verdict, and the score.
 *
 * The questions and their judging (predict.ts) load the first time Predict is turned on, like the picture export:
 * few sessions use it, and the first paint need not wait for its sentences.
 */
import type { TraceEvent } from '../sim/types';
import type { BatchEvent } from '../worker/protocol';
import type { Lab, LabState, Slice } from './labStore';
import type { Answer, PredictMoment, Question, Verdict, WireMessage } from './predict';
import type { RunState } from './replay';
import type { TimelineState } from './timeline';

export interface PredictScore {
  /** Questions answered and revealed (skipped ones do not count). */
  asked: number;
  right: number;
}

export interface PredictState {
  predict: {
    on: boolean;
    /** The question code has loaded (questions are asked from then on). */
    ready: boolean;
    /** The room's answer to the question whose key it carries. */
    answer: (Answer & { key: string }) | null;
    /** Revealed: its phase is playing; judged when the worker's step arrives. */
    pending: { question: Question; answer: Answer | null; moment: PredictMoment; from: number; generation: number } | null;
    /** The last verdict, shown while the screen stays at the moment it was judged at (`at`, in `generation`). */
    verdict: (Verdict & { at: number; generation: number }) | null;
    score: PredictScore;
  };
}

export interface PredictActions {
  /** Predict mode on or off (the score stays for the session). */
  togglePredict(): void;
  /** Adds or removes a replica from the room's answer (for a one-replica question: chooses it, or clears it). */
  toggleAnswerReplica(id: number): void;
  setAnswerYes(yes: boolean): void;
  /** Commits the room's answer and plays the phase (the same as Next phase); the verdict follows. */
  reveal(): void;
  /** Plays the phase without scoring: the verdict shows the answer and why. */
  skipQuestion(): void;
  /** Closes the verdict (the question of the moment, if any, is asked next). */
  dismissVerdict(): void;
  /**
   * Next phase, as Predict mode hears it: with a question open it reveals; with a verdict shown it closes it (and asks
   * the next question, or plays on if there is none); otherwise, and with Predict off, it is Next phase.
   */
  nextPhase(): void;
}

export interface PredictHooks {
  /** After the store has taken a batch: judges a revealed question once its phase has played. */
  predictBatch(batch: BatchEvent): void;
}

type PredictLogic = typeof import('./predict');
let logic: PredictLogic | null = null;
let loading: Promise<PredictLogic> | null = null;

/** Loads the questions and their judging (once for the page); resolves when they are there. */
export function loadPredict(): Promise<PredictLogic> {
  loading ??= import('./predict').then((m) => (logic = m));
  return loading;
}

/** The messages on the wire at a moment, with the digests the run's records carry. */
function wireOf(run: RunState, timeline: TimelineState): WireMessage[] {
  const out: WireMessage[] = [];
  for (const m of timeline.inFlight.values()) out.push({ ...m, digest: run.messageById.get(m.id)?.digest ?? '' });
  return out;
}

/** The events since the client issued its newest request, up to `index` (the request event first), or []. */
export function sinceNewestRequest(run: RunState, index: number): TraceEvent[] {
  const end = Math.min(index, run.length) - run.base;
  for (let k = end - 1; k >= 0; k--) {
    const e = run.trace[k];
    if (e.kind === 'request' && !e.retransmit) return run.trace.slice(k, end);
  }
  return [];
}

/** The moment on screen as a question reads it. */
export function predictMoment(s: Pick<LabState, 'run' | 'timeline' | 'scenario'>): PredictMoment {
  const { run, timeline } = s;
  return {
    n: timeline.n,
    f: timeline.f,
    mode: run.scenario?.mode ?? s.scenario.mode ?? 'pbft',
    index: timeline.index,
    replicas: timeline.replicas,
    wire: wireOf(run, timeline),
    nextEventAt: timeline.nextEventAt,
    recent: sinceNewestRequest(run, timeline.index),
  };
}

const asked = new WeakMap<TimelineState, Question | null>();

/** The question asked at the moment on screen (null: Predict is off, the run plays, a phase is being revealed, or none fits). */
export function questionOnScreen(s: LabState): Question | null {
  const p = s.predict;
  if (!p.on || !p.ready || !logic || s.playback.playing || p.pending || s.error) return null;
  if (asked.has(s.timeline)) return asked.get(s.timeline) ?? null;
  const q = logic.chooseQuestion(predictMoment(s));
  asked.set(s.timeline, q);
  return q;
}

/** The verdict to show at the moment on screen, or null (none yet, dismissed, or the screen has moved on). */
export function verdictOnScreen(s: LabState): Verdict | null {
  const v = s.predict.verdict;
  if (!s.predict.on || !v || s.predict.pending) return null;
  return v.at === s.timeline.index && v.generation === s.run.generation ? v : null;
}

/** The room's answer to `q` so far: what it marked, or what the picture already shows when it has marked nothing. */
export function answerTo(s: LabState, q: Question): Answer {
  const a = s.predict.answer;
  return a && a.key === q.key ? a : { replicas: q.preset, yes: null };
}

export function predictSlice(lab: Lab): Slice<PredictState, PredictActions, PredictHooks> {
  const { set, get } = lab;
  const patch = (p: Partial<PredictState['predict']>) => set((s) => ({ predict: { ...s.predict, ...p } }));

  const play = (scored: boolean) => {
    const s = get();
    const question = questionOnScreen(s);
    if (!question) return;
    const answer = scored ? answerTo(s, question) : null;
    patch({
      pending: { question, answer, moment: predictMoment(s), from: s.timeline.index, generation: s.run.generation },
      verdict: null,
    });
    s.actions.step('phase');
  };

  const actions: PredictActions = {
    togglePredict() {
      set((s) => ({ predict: { ...s.predict, on: !s.predict.on, pending: null, verdict: null, answer: null } }));
      if (!get().predict.ready) {
        loadPredict().then(
          () => patch({ ready: true }),
          () => set((s) => ({ notices: [...s.notices, 'Predict mode could not load its questions (is the network down?).'], predict: { ...s.predict, on: false } })),
        );
      }
    },
    toggleAnswerReplica(id) {
      const s = get();
      const q = questionOnScreen(s);
      if (!q || q.shape === 'yes-no' || !Number.isInteger(id) || id < 0 || id >= s.timeline.n) return;
      const now = answerTo(s, q).replicas;
      const replicas = q.shape === 'one-replica' ? (now.includes(id) ? [] : [id]) : now.includes(id) ? now.filter((r) => r !== id) : [...now, id].sort((a, b) => a - b);
      patch({ answer: { key: q.key, replicas, yes: null } });
    },
    setAnswerYes(yes) {
      const q = questionOnScreen(get());
      if (!q || q.shape !== 'yes-no') return;
      patch({ answer: { key: q.key, replicas: [], yes } });
    },
    reveal() {
      const s = get();
      const q = questionOnScreen(s);
      if (!q) return;
      // A yes / no question nobody answered plays unscored.
      play(!(q.shape === 'yes-no' && answerTo(s, q).yes === null));
    },
    skipQuestion() {
      play(false);
    },
    dismissVerdict() {
      patch({ verdict: null });
    },
    nextPhase() {
      const s = get();
      if (!s.predict.on) return s.actions.step('phase');
      if (s.predict.pending) return;
      if (verdictOnScreen(s)) {
        patch({ verdict: null });
        if (questionOnScreen(get())) return;
        return s.actions.step('phase');
      }
      if (questionOnScreen(s)) return actions.reveal();
      s.actions.step('phase');
    },
  };

  const predictBatch = (batch: BatchEvent) => {
    const s = get();
    const p = s.predict.pending;
    if (!p || !logic) return;
    if (batch.reset || s.run.generation !== p.generation || s.error) return patch({ pending: null });
    // A seek's tail (starts: []) or a pause comes first; the phase is the batch that steps.
    if (batch.starts.length === 0) return;
    const { run, live } = s;
    // The phase's events: from the moment it was asked at to where the worker's step ended (a known future beyond it,
    // kept after a seek from the past, is not part of it).
    const from = Math.max(p.from, run.base);
    const step = run.trace.slice(from - run.base, Math.min(batch.traceLength, run.length) - run.base);
    const verdict = logic.judge(p.question, p.answer, p.moment, step, live.replicas);
    const at = live.index;
    const scored = verdict.status === 'right' || verdict.status === 'wrong';
    patch({
      pending: null,
      verdict: { ...verdict, at, generation: run.generation },
      score: scored ? { asked: s.predict.score.asked + 1, right: s.predict.score.right + (verdict.status === 'right' ? 1 : 0) } : s.predict.score,
    });
  };

  return {
    state: { predict: { on: false, ready: logic !== null, answer: null, pending: null, verdict: null, score: { asked: 0, right: 0 } } },
    actions,
    hooks: { predictBatch },
  };
}
