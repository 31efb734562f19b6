/**
 * The search worker's logic, free of the Worker API so tests run it in-process (see attackTransport.ts). The search
 * itself is the core's (src/sim/attack/search.ts); this runs one block of schedule numbers and says what it found.
 */
import { withCalm } from '../sim/attack/replay';
import { search } from '../sim/attack/search';
import type { AttackCommand, AttackEvent } from './attackProtocol';

export interface AttackHostDeps {
  /** Real milliseconds: for a time budget only (never part of a result). */
  clock: () => number;
}

export interface AttackHost {
  handle(cmd: AttackCommand): void;
}

export function createAttackHost(post: (event: AttackEvent) => void, deps: AttackHostDeps): AttackHost {
  return {
    handle(cmd) {
      if (cmd.type !== 'search') return;
      const { block, from } = cmd;
      try {
        const r = search({
          scenario: cmd.scenario,
          goal: cmd.goal,
          seed: cmd.seed,
          ...(cmd.twins ? { twins: cmd.twins } : {}),
          ...(cmd.liars ? { liars: cmd.liars } : {}),
          budget: { schedules: cmd.to, ...(cmd.ms !== undefined ? { ms: cmd.ms } : {}) },
          slice: { offset: from, stride: 1 },
          clock: deps.clock,
          onProgress: (p) => {
            if (!p.found) post({ type: 'progress', block, tried: p.schedulesTried });
          },
          onFound: (k) => post({ type: 'found-at', block, k }),
        });
        if (!r.found || r.schedule === null || r.scheduleIndex === null) {
          post({ type: 'done', block, tried: r.schedulesTried, found: null });
          return;
        }
        const k = r.scheduleIndex;
        post({ type: 'done', block, tried: k - from + 1, found: { k, schedule: r.schedule, violation: r.violation, scenario: r.scenario, opened: withCalm(r.scenario, r.schedule) } });
      } catch (err) {
        post({ type: 'error', block, message: err instanceof Error ? err.message : String(err) });
      }
    },
  };
}
