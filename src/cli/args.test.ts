import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseMalicious, parseMList, parseRunArgs, parseSweepArgs, UsageError } from './args';

describe('CLI arguments', () => {
  it('reads a run', () => {
    const options = parseRunArgs(['--f', '2', '--seed', '7', '--requests', '3', '--drop', '0.1', '--malicious', '0:equivocate,3:silent,2:omit=0.3,1:slow=150', '--json']);
    expect(options.command).toBe('run');
    if (options.command !== 'run') return;
    expect(options.json).toBe(true);
    expect(options.scenario).toMatchObject({ f: 2, seed: 7, requests: 3, dropRate: 0.1 });
    expect(options.scenario.malicious).toEqual({
      0: { kind: 'equivocate' },
      3: { kind: 'silent' },
      2: { kind: 'omit', omitProbability: 0.3 },
      1: { kind: 'slow', extraDelayMs: 150 },
    });
  });

  it('rejects bad values with a message that names the option', () => {
    expect(() => parseRunArgs(['--f', 'x'])).toThrow(/--f must be a number/);
    expect(() => parseRunArgs(['--drop', '1.5'])).toThrow(/--drop must be between 0 and 1/);
    expect(() => parseRunArgs(['--f', '1.5'])).toThrow(/whole number/);
    expect(() => parseRunArgs(['--min-delay', '50', '--max-delay', '10'])).toThrow(/exceeds/);
    expect(() => parseRunArgs(['--malicious', '9:silent'])).toThrow(/replica 9 does not exist/);
    expect(() => parseMalicious('0:lie')).toThrow(UsageError);
    expect(() => parseRunArgs(['--bogus'])).toThrow(/unknown option/);
  });

  it('reads a sweep', () => {
    const options = parseSweepArgs(['--n', '10', '--m', '0,3,5,7', '--trials', '6', '--mode', 'seed', '--csv']);
    expect(options.command).toBe('sweep');
    if (options.command !== 'sweep') return;
    expect(options.config).toMatchObject({ n: 10, mValues: [0, 3, 5, 7], trials: 6 });
    expect(options.modes).toEqual(['seed']);
    expect(options.format).toBe('csv');
    expect(parseMList('0-3,7', 10)).toEqual([0, 1, 2, 3, 7]);
    expect(() => parseSweepArgs(['--mode', 'raft'])).toThrow(/--mode/);
  });

  it("reads a sweep's --protocol as a run reads it, or a list of them; --mode still works", () => {
    const modesOf = (argv: string[]) => {
      const o = parseSweepArgs(argv);
      return o.command === 'sweep' ? o.modes : null;
    };
    expect(modesOf(['--protocol', 'hotstuff'])).toEqual(['hotstuff']);
    expect(modesOf(['--protocol', 'pbft,hotstuff, tendermint'])).toEqual(['pbft', 'hotstuff', 'tendermint']);
    expect(modesOf(['--protocol', 'tendermint,tendermint'])).toEqual(['tendermint']);
    expect(modesOf([])).toEqual(['pbft']);
    expect(modesOf(['--mode', 'both'])).toEqual(['seed', 'pbft']);
    expect(modesOf(['--mode', 'hotstuff'])).toEqual(['hotstuff']);
    // What a run's --protocol refuses, a sweep's refuses too.
    for (const bad of ['raft', 'both', 'pbft,', 'HotStuff']) {
      expect(() => parseRunArgs(['--protocol', bad]), bad).toThrow(/--protocol/);
      expect(() => parseSweepArgs(['--protocol', bad]), bad).toThrow(/--protocol/);
    }
    expect(() => parseSweepArgs(['--protocol'])).toThrow(/--protocol needs a value/);
  });
});

describe('CLI output', () => {
  it('prints one JSON object from which anyone can check agreement', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', '--f', '1', '--seed', '7', '--requests', '1', '--json'], { encoding: 'utf8' });
    const report = JSON.parse(out);
    expect(report).toMatchObject({ n: 4, f: 1, seed: 7, dropped: 0, committed: 1, safetyViolations: [] });
    expect(report.messages).toMatchObject({ REQUEST: 1, PRE_PREPARE: 3, PREPARE: 9, COMMIT: 12, REPLY: 4 });
    expect(report.latencyMs).toHaveLength(1);
    expect(report.replicas).toHaveLength(4);
    const logs = report.replicas.map((r: { executed: unknown }) => JSON.stringify(r.executed));
    expect(new Set(logs).size).toBe(1);
    expect(report.replicas[0]).toMatchObject({ id: 0, behaviour: null, view: 0 });
  });

  it('exits with status 2 and a message on bad input', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('npx', ['tsx', 'src/cli/main.ts', '--f', 'x'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const e = error as { status: number; stderr: string };
      status = e.status;
      stderr = e.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/--f must be a number/);
  });
});
