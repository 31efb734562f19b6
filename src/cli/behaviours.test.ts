/**
 * Every behaviour runs from the command line, as a student would type it (`npm run sim -- --f 1 --malicious 1:<b>
 * --requests 2 --concurrency 2 --json`), and the JSON says what happened: with one liar (m = f) the client accepted
 * both requests, nobody was fooled, and the honest replicas' execution logs agree.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BEHAVIOURS } from '../sim/types';
import { parseRunArgs } from './args';

const run = promisify(execFile);

describe('every behaviour from the command line', () => {
  it('parses each name, hyphenated or not, with its id', () => {
    for (const kind of BEHAVIOURS) {
      const options = parseRunArgs(['--f', '1', '--malicious', `1:${kind}`]);
      expect(options.command === 'run' && options.scenario.malicious[1]?.kind, kind).toBe(kind);
    }
  });

  it('runs each one (f = 1, one liar, two concurrent requests) and reports a safe, complete run', async () => {
    const reports = await Promise.all(
      BEHAVIOURS.map(async (kind) => {
        const args = ['tsx', 'src/cli/main.ts', '--f', '1', '--malicious', `1:${kind}`, '--requests', '2', '--concurrency', '2', '--json'];
        const { stdout } = await run('npx', args, { encoding: 'utf8' });
        return { kind, report: JSON.parse(stdout) };
      }),
    );
    for (const { kind, report } of reports) {
      expect(report.replicas[1].behaviour, kind).toBe(kind);
      expect(report.committed, kind).toBe(2);
      expect(report.fooled, kind).toBe(0);
      expect(report.safetyViolations, kind).toEqual([]);
      const honest: Array<Array<[number, string]>> = report.replicas.filter((r: { id: number }) => r.id !== 1).map((r: { executed: Array<[number, string]> }) => r.executed);
      const longest = honest.reduce((a, b) => (b.length > a.length ? b : a), []);
      for (const log of honest) expect(log, kind).toEqual(longest.slice(0, log.length));
    }
  }, 60_000);
});
