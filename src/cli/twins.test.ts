/**
 * Twins on the command line: `search --twins` runs a Twins search, its JSON names the twins the found schedule was
 * found with (the side drawn for it), and `--schedule FILE` replays it exactly — the file carries the twins. Verdicts
 * are the test's own, from the run JSON's execution logs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../sim/scenario';
import { parseRunArgs, parseSearchArgs, UsageError } from './args';
import { merge, searchInParallel, type SearchJson } from './parallel';

const run = promisify(execFile);
const cli = (args: string[]) => run('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' }).then((r) => r.stdout);

/** Two requests in flight at once: an instance of the primary that hears them in another order than its twin numbers them differently. */
const FLAGS = ['--f', '1', '--requests', '2', '--concurrency', '2'];

describe('--twins', () => {
  it('reads replicas and, after /, the side their second instances talk to; refuses what cannot run', () => {
    const twins = (raw: string) => {
      const o = parseRunArgs([...FLAGS, '--twins', raw]);
      return o.command === 'run' ? o.scenario.twins : undefined;
    };
    expect(twins('0,1')).toEqual({ replicas: [0, 1], side: [] });
    expect(twins('1,0/3,2')).toEqual({ replicas: [0, 1], side: [2, 3] });
    expect(twins('0/')).toEqual({ replicas: [0], side: [] });
    expect(twins('')).toBeUndefined();
    expect(() => parseRunArgs(['--twins', '4'])).toThrow(/replica 4 does not exist \(n = 4\)/);
    expect(() => parseRunArgs(['--twins', '0', '--malicious', '0:silent'])).toThrow(/replica 0 is also --malicious/);
    expect(() => parseRunArgs(['--twins', '0/0,2'])).toThrow(/replica 0 cannot be on the side/);
    expect(() => parseRunArgs(['--twins', 'a'])).toThrow(UsageError);
    // From --scenario too, checked against the liars the flags after it add.
    expect(() => parseRunArgs(['--scenario', JSON.stringify({ ...defaultScenario(), twins: { replicas: [1], side: [] } }), '--malicious', '1:silent'])).toThrow(/replica 1 is also --malicious/);
  });

  it('search: without / each schedule draws the side (search option twins); with / the side is the scenario’s', () => {
    const drawn = parseSearchArgs([...FLAGS, '--twins', '0,1']);
    expect(drawn.command === 'search' && [drawn.search.twins, drawn.scenario.twins]).toEqual([[0, 1], undefined]);
    const fixed = parseSearchArgs([...FLAGS, '--twins', '0,1/2']);
    expect(fixed.command === 'search' && [fixed.search.twins, fixed.scenario.twins]).toEqual([undefined, { replicas: [0, 1], side: [2] }]);
  });

  it('a Twins search prints the twins it found the attack with, and --schedule FILE replays it exactly (agreement broken)', async () => {
    const out = await cli(['search', ...FLAGS, '--twins', '0,1', '--goal', 'agreement', '--budget', '100', '--workers', '1', '--json']);
    const found = JSON.parse(out) as SearchJson;
    expect(found.found).toBe(true);
    expect(found.twins?.replicas).toEqual([0, 1]);
    expect(Array.isArray(found.twins?.side)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'pbft-twins-')), 'attack.json');
    writeFileSync(file, out);
    // The replay takes the twins from the file: the command line does not repeat them.
    const replay = JSON.parse(await cli([...FLAGS, '--schedule', file, '--json'])) as {
      twins: { replicas: number[]; side: number[] };
      replicas: Array<{ id: number; executed: Array<[number, string]> }>;
    };
    expect(replay.twins).toEqual(found.twins);
    const honest = replay.replicas.filter((r) => !found.twins!.replicas.includes(r.id));
    const at = new Map<number, Set<string>>();
    for (const r of honest) for (const [seq, digest] of r.executed) at.set(seq, (at.get(seq) ?? new Set()).add(digest));
    expect([...at.values()].some((digests) => digests.size > 1)).toBe(true);
    // Without the file's twins (another side on the command line) the replay is refused, not silently different.
    await expect(cli([...FLAGS, '--twins', '0,1/', '--schedule', file, '--json'])).rejects.toThrow(/differs from the twins the schedule was found with/);
  });

  it('shards of a Twins search merge into the unsharded JSON, twins included — found, and not found', async () => {
    const scenario = defaultScenario({ f: 1, requests: 2, concurrency: 2 });
    for (const [twins, found] of [
      [[0, 1], true],
      [[1], false],
    ] as const) {
      const options = { scenario, goal: 'agreement' as const, budget: { schedules: 24 }, seed: 1, twins: [...twins] };
      const whole = await searchInParallel(options, null, 1);
      const shards = await Promise.all([0, 1, 2].map((index) => searchInParallel(options, { index, count: 3 }, 1)));
      const { schedulesPerSec: _a, ...merged } = merge(shards.map((s) => JSON.parse(JSON.stringify(s)))) as SearchJson;
      const { schedulesPerSec: _b, ...alone } = whole;
      expect(merged).toEqual(alone);
      expect(whole.found).toBe(found);
      expect(whole.twins).toEqual(found ? { replicas: twins, side: expect.any(Array) } : { replicas: twins, side: null });
    }
  });
});
