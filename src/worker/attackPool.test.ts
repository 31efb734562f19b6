import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import type { AttackCommand, AttackEvent } from './attackProtocol';
import { startAttackPool } from './attackPool';
import type { ConnectAttackWorker } from './attackTransport';
import { connectAttackInProcess } from './attackTransport';

/** Workers that "find" the schedules in `breaks`, the later blocks answering sooner (so order of arrival is not order of k). */
function scripted(breaks: number[], log: string[]): ConnectAttackWorker {
  let made = 0;
  return (onEvent) => {
    const me = made++;
    let alive = true;
    const post = (e: AttackEvent, ms: number) => setTimeout(() => alive && onEvent(e), ms);
    return {
      send(cmd: AttackCommand) {
        log.push(`w${me}:${cmd.from}-${cmd.to}`);
        const k = breaks.find((b) => b >= cmd.from && b < cmd.to);
        const delay = Math.max(1, 40 - cmd.from / 32);
        if (k === undefined) return post({ type: 'done', block: cmd.block, tried: cmd.to - cmd.from, found: null }, delay);
        post({ type: 'found-at', block: cmd.block, k }, delay / 2);
        post({ type: 'done', block: cmd.block, tried: k - cmd.from + 1, found: { k, schedule: [], violation: null, scenario: cmd.scenario, opened: [] } }, delay);
      },
      dispose() {
        alive = false;
        log.push(`w${me}:stopped`);
      },
    };
  };
}

const plan = { scenario: defaultScenario(), goal: 'agreement' as const, seed: 1 };
let fakeNow = 0;
const clock = () => (fakeNow += 5);

describe('the attack search pool', () => {
  it('the attack at the lowest schedule number wins, however the blocks arrive; schedules beyond it are not started', async () => {
    const log: string[] = [];
    const run = startAttackPool({ ...plan, budget: { schedules: 100_000 } }, { connect: scripted([700, 300], log), workers: 3, blockSize: 100, clock });
    const end = await run.finished;
    expect(end.status).toBe('found');
    if (end.status === 'found') {
      expect(end.found.k).toBe(300);
      expect(end.schedulesTried).toBe(301);
    }
    // No block was handed out from beyond the first find.
    const starts = log.filter((l) => l.includes('-')).map((l) => Number(l.split(':')[1].split('-')[0]));
    expect(Math.max(...starts)).toBeLessThan(1000);
  });

  it('nothing found: every schedule of the budget was tried, split in blocks over the workers', async () => {
    const log: string[] = [];
    const end = await startAttackPool({ ...plan, budget: { schedules: 1000 } }, { connect: scripted([], log), workers: 2, blockSize: 256, clock }).finished;
    expect(end).toMatchObject({ status: 'none', schedulesTried: 1000 });
    expect(log.filter((l) => l.includes('-'))).toHaveLength(4);
    expect(new Set(log.filter((l) => l.includes('-')).map((l) => l.slice(0, 2)))).toEqual(new Set(['w0', 'w1']));
  });

  it('Cancel stops every worker at once', async () => {
    const log: string[] = [];
    const run = startAttackPool({ ...plan, budget: { schedules: 10_000 } }, { connect: scripted([], log), workers: 2, blockSize: 100, clock });
    run.cancel();
    const end = await run.finished;
    expect(end.status).toBe('cancelled');
    expect(log.filter((l) => l.endsWith('stopped'))).toHaveLength(2);
  });

  it('with the real search: f+1 colluders break agreement; f colluders do not (m ≤ f)', async () => {
    const connect = connectAttackInProcess({ clock: () => 0 });
    const f1 = { ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' as const }, 1: { kind: 'collude' as const } } };
    const found = await startAttackPool({ scenario: f1, goal: 'agreement', seed: f1.seed, budget: { schedules: 512 } }, { connect, workers: 2, clock }).finished;
    expect(found.status).toBe('found');
    if (found.status === 'found') {
      expect(found.found.violation?.goal).toBe('agreement');
      // The visualizer's schedule replays the shrunk one, calming steps spelled out.
      expect(found.found.opened.length).toBeGreaterThanOrEqual(found.found.schedule.length);
    }
    const safe = { ...f1, malicious: { 0: { kind: 'collude' as const } } };
    const none = await startAttackPool({ scenario: safe, goal: 'agreement', seed: safe.seed, budget: { schedules: 200 } }, { connect, workers: 2, blockSize: 64, clock }).finished;
    expect(none).toMatchObject({ status: 'none', schedulesTried: 200 });
  }, 60_000);
});
