import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import type { LabActions, LabState } from './labStore';
import { inProcessLab } from './labTestkit';
import { onScreen } from './onScreen';
import { emptyTimeline } from './timeline';

/** The rule of what is on screen, checked on a state. */
function screenProblem(s: LabState): string | null {
  if (s.following) {
    if (s.timeline !== s.live) return 'following, but the screen is not the live picture';
    if (s.cursor !== s.live.index || s.viewTime !== s.live.now) return 'following, but the position is not the live picture’s';
    if (s.scrubbedByTime) return 'following, but scrubbed by time';
    return null;
  }
  if (!s.timeline.replayed) return 'in the past, but the screen is not rebuilt from the trace';
  if (s.timeline.index !== s.cursor || s.timeline.now !== s.viewTime) return 'in the past, but the picture is not at the position';
  return null;
}

const ACTIONS: Record<string, (a: LabActions, s: LabState) => void> = {
  step: (a) => a.step(),
  stepPhase: (a) => a.step('phase'),
  stepRequest: (a) => a.step('request'),
  play: (a) => a.play(),
  pause: (a) => a.pause(),
  back: (a) => a.back(),
  seekHalfway: (a, s) => a.seekTime(s.run.endTime / 2),
  seekStart: (a) => a.seekTime(0),
  seekEvent: (a, s) => a.seekEvent(Math.floor(s.run.length / 3)),
  toLive: (a) => a.toLive(),
  reset: (a) => a.reset(),
  newRequest: (a) => a.newRequest(),
  toggleMalicious: (a) => a.toggleMalicious(1),
  setNetwork: (a) => a.setNetwork({ dropRate: 0.1 }),
  setF: (a, s) => a.setF(s.scenario.f === 1 ? 2 : 1),
  selectReplica: (a) => a.selectReplica(2),
  restart: (a) => a.restart(),
};

describe('what is on screen', () => {
  it('holds after every update, whatever the person does and whenever the worker answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...Object.keys(ACTIONS)), fc.boolean()), { minLength: 1, maxLength: 25 }), async (script) => {
        const { store, actions, frame } = inProcessLab({ scenario: defaultScenario({ requests: 3, seed: 3 }), speed: 2000 });
        const problems: string[] = [];
        const check = (s: LabState) => {
          const problem = screenProblem(s);
          if (problem) problems.push(problem);
        };
        check(store.getState());
        const stop = store.subscribe(check);
        await frame();
        for (const [name, wait] of script) {
          ACTIONS[name](actions, store.getState());
          // Sometimes the next action comes before the worker answered the last (a seek not yet done, say).
          if (wait) await frame();
        }
        await frame();
        stop();
        actions.dispose();
        expect(problems).toEqual([]);
      }),
      { numRuns: 30, seed: 10 },
    );
  });

  it('a write of the picture itself is overruled: while following, the screen is the live picture', async () => {
    const { store, actions, frame } = inProcessLab();
    await frame();
    actions.step();
    await frame();
    store.setState({ timeline: emptyTimeline(), cursor: 0 });
    const s = store.getState();
    expect(s.timeline).toBe(s.live);
    expect(s.cursor).toBe(s.live.index);
  });

  it('a past picture is rebuilt when the position moves, and kept when only the run grows', async () => {
    const { store, actions, frame } = inProcessLab({ speed: 2000 });
    await frame();
    for (let k = 0; k < 6; k++) actions.step();
    await frame();
    actions.back();
    const past = store.getState().timeline;
    expect(past.replayed).toBe(true);
    const s = store.getState();
    // A batch that arrives while someone looks at the past brings a new run object and leaves the picture alone.
    const grown = onScreen(s, { ...s, run: { ...s.run } }, () => 0);
    expect(grown.timeline).toBe(past);
    actions.back();
    expect(store.getState().timeline).not.toBe(past);
    expect(store.getState().timeline.index).toBeLessThan(past.index);
    actions.toLive();
    expect(store.getState().timeline).toBe(store.getState().live);
  });
});
