/**
 * Campaigns split across shards and threads give exactly what one run gives. Sweeps are compared byte for byte after
 * JSON.stringify; searches too, but for schedulesPerSec — a rate of real time, which no two runs share.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seedExperiment, type SweepConfig } from '../sim/experiment';
import { defaultScenario } from '../sim/scenario';
import type { Scenario } from '../sim/types';
import { parseSearchArgs, parseShard, parseSweepArgs, UsageError } from './args';
import { merge, searchInParallel, sweepInParallel, type SearchJson } from './parallel';

const run = promisify(execFile);

/** A shard's output as a file holds it: printed and read back. */
const viaFile = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
const withoutRate = (x: unknown) => {
  const { schedulesPerSec: _rate, ...rest } = x as SearchJson;
  return JSON.stringify(rest);
};

const SWEEP: SweepConfig = seedExperiment({ n: 4, mValues: [0, 1, 2], trials: 3, timeoutMs: 1500 });

describe('shard and merge', () => {
  it('a sweep in 3 shards, merged, is byte for byte the unsharded sweep (and a shard says which it is)', async () => {
    const whole = await sweepInParallel(SWEEP, null, 1);
    const shards = await Promise.all([0, 1, 2].map((index) => sweepInParallel(SWEEP, { index, count: 3 }, 1)));
    expect(shards.map((s) => s.shard)).toEqual(['0/3', '1/3', '2/3']);
    expect(shards.map((s) => s.trials.length)).toEqual([3, 3, 3]);
    expect(JSON.stringify(merge(shards.map(viaFile)))).toBe(JSON.stringify(whole));
    // In any order of files.
    expect(JSON.stringify(merge([shards[2], shards[0], shards[1]].map(viaFile)))).toBe(JSON.stringify(whole));
  });

  it('a search in 4 shards, merged, is the unsharded search — found, and not found', async () => {
    const cases: Array<{ scenario: Scenario; goal: 'fool' | 'agreement'; budget: number }> = [
      { scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } }), goal: 'fool', budget: 40 },
      { scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'equivocate' } } }), goal: 'agreement', budget: 30 },
    ];
    const found: boolean[] = [];
    for (const { scenario, goal, budget } of cases) {
      const options = { scenario, goal, budget: { schedules: budget }, seed: 4 };
      const whole = await searchInParallel(options, null, 1);
      const shards = await Promise.all([0, 1, 2, 3].map((index) => searchInParallel(options, { index, count: 4 }, 1)));
      expect(withoutRate(merge(shards.map(viaFile)))).toBe(withoutRate(whole));
      found.push(whole.found);
    }
    expect(found).toEqual([true, false]);
  });

  it('refuses files of different campaigns', () => {
    const a = { mode: 'pbft', config: SWEEP, f: 1, rows: [], trials: [] };
    const b = { ...a, config: { ...SWEEP, seed: 9 } };
    expect(() => merge([a, b])).toThrow(/different sweep settings/);
    expect(() => merge([a, { found: false, schedulesTried: 1 }])).toThrow(/not shards of one campaign/);
  });
});

describe('worker threads', () => {
  it('a sweep and a search on 2 threads give what one thread gives', async () => {
    const sweepOne = await sweepInParallel(SWEEP, { index: 1, count: 2 }, 1);
    const sweepTwo = await sweepInParallel(SWEEP, { index: 1, count: 2 }, 2);
    expect(JSON.stringify(sweepTwo)).toBe(JSON.stringify(sweepOne));
    const options = { scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } }), goal: 'fool' as const, budget: { schedules: 40 }, seed: 4 };
    const one = await searchInParallel(options, null, 1);
    const two = await searchInParallel(options, null, 2);
    expect(one.found).toBe(true);
    expect(withoutRate(two)).toBe(withoutRate(one));
  });
});

describe('the command line', () => {
  it('reads --shard i/k (0-based) and refuses what is not one', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['8/8', '1/0', '-1/2', 'a/b', '', '3']) expect(() => parseShard(bad), bad).toThrow(UsageError);
    const sweep = parseSweepArgs(['--shard', '0/2', '--workers', '3', '--trials', '2']);
    expect(sweep.command === 'sweep' && [sweep.shard, sweep.workers, sweep.config.trials]).toEqual([{ index: 0, count: 2 }, 3, 2]);
    const search = parseSearchArgs(['--f', '1', '--malicious', '0:collude,1:collude', '--goal', 'fool', '--budget', '70', '--liars', 'any', '--shard', '1/3', '--json']);
    expect(search.command === 'search' && [search.search, search.shard, search.json, Object.keys(search.scenario.malicious)]).toEqual([
      { goal: 'fool', budget: 70, liars: 'any' },
      { index: 1, count: 3 },
      true,
      ['0', '1'],
    ]);
    expect(() => parseSearchArgs(['--goal', 'win'])).toThrow(UsageError);
  });

  it('search prints { found, schedulesTried, schedulesPerSec, schedule, violation }; --schedule replays it as an ordinary run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbft-search-'));
    const scenarioFlags = ['--f', '1', '--malicious', '0:collude,1:collude'];
    const { stdout } = await run('npx', ['tsx', 'src/cli/main.ts', 'search', ...scenarioFlags, '--goal', 'agreement', '--budget', '50', '--workers', '1', '--json'], { encoding: 'utf8' });
    const found = JSON.parse(stdout) as SearchJson;
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['found', 'schedulesTried', 'schedulesPerSec', 'schedule', 'violation']));
    expect(found.found).toBe(true);
    const file = join(dir, 'attack.json');
    writeFileSync(file, stdout);
    const replay = JSON.parse((await run('npx', ['tsx', 'src/cli/main.ts', ...scenarioFlags, '--schedule', file, '--json'], { encoding: 'utf8' })).stdout) as {
      replicas: Array<{ id: number; behaviour: string | null; executed: Array<[number, string]> }>;
    };
    // Agreement judged from the run JSON alone: two honest replicas executed different requests at one number.
    const honest = replay.replicas.filter((r) => r.behaviour === null);
    const at = new Map<number, Set<string>>();
    for (const r of honest) for (const [seq, digest] of r.executed) at.set(seq, (at.get(seq) ?? new Set()).add(digest));
    expect([...at.values()].some((digests) => digests.size > 1)).toBe(true);
  });

  it('merge of two shard files from the command line is the unsharded JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbft-merge-'));
    const flags = ['sweep', '--n', '4', '--m', '0,2', '--trials', '2', '--timeout', '1000', '--workers', '1', '--json'];
    const cli = (args: string[]) => run('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' }).then((r) => r.stdout);
    const [whole, a, b] = await Promise.all([cli(flags), cli([...flags, '--shard', '0/2']), cli([...flags, '--shard', '1/2'])]);
    writeFileSync(join(dir, 'a.json'), a);
    writeFileSync(join(dir, 'b.json'), b);
    expect(await cli(['merge', join(dir, 'a.json'), join(dir, 'b.json'), '--json'])).toBe(whole);
  });
});
