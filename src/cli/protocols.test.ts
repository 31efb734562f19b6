/**
 * A run of each protocol from the command line (`npm run sim -- --protocol <p> --f 1 … --json`) prints the JSON a
 * PBFT run prints, key for key: its messages are counted per type in the protocol's own vocabulary, and the honest
 * replicas' execution logs agree.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NULL_DIGEST } from '../sim/messages';
import { protocolOf } from '../sim/protocols';
import type { RunReport } from '../sim/report';

const run = promisify(execFile);

/** One liar (replica 1, silent) among n = 4, and three requests, so every protocol must decide around it. */
async function cliRun(protocol: string): Promise<RunReport> {
  const args = ['tsx', 'src/cli/main.ts', '--protocol', protocol, '--f', '1', '--malicious', '1:silent', '--requests', '3', '--json'];
  const { stdout } = await run('npx', args, { encoding: 'utf8' });
  return JSON.parse(stdout) as RunReport;
}

describe('every protocol from the command line', () => {
  it('prints PBFT’s run JSON for HotStuff and Tendermint, messages per type in their own words, honest logs agreeing', async () => {
    const [pbft, hotstuff, tendermint] = await Promise.all(['pbft', 'hotstuff', 'tendermint'].map(cliRun));
    for (const [mode, report] of [['pbft', pbft], ['hotstuff', hotstuff], ['tendermint', tendermint]] as const) {
      expect(Object.keys(report).sort(), mode).toEqual(Object.keys(pbft).sort());
      expect(report.committed, mode).toBe(3);
      expect(report.fooled, mode).toBe(0);
      expect(report.safetyViolations, mode).toEqual([]);

      // Messages per type: only this protocol's types were sent, its proposals and votes among them, and they add up.
      const own = protocolOf(mode).messages;
      const sentTypes = Object.entries(report.messages).flatMap(([type, count]) => (count > 0 ? [type] : []));
      expect(sentTypes.filter((t) => !own.some((m) => m.type === t)), mode).toEqual([]);
      for (const m of own.filter((m) => m.role === 'proposal' || m.role === 'vote' || m.role === 'reply')) expect(report.messages[m.type], `${mode} ${m.type}`).toBeGreaterThan(0);
      expect(Object.values(report.messages).reduce((a, b) => a + b, 0), mode).toBe(report.sent);

      const honest = report.replicas.filter((r) => r.behaviour === null);
      expect(honest, mode).toHaveLength(3);
      for (const r of honest) expect(r.executed, `${mode} replica ${r.id}`).toEqual(honest[0].executed);
      expect(honest[0].executed, mode).toHaveLength(3);
    }
  }, 60_000);

  it('runs Chained HotStuff: its GENERICs and votes counted in its own words, the three requests executed among empty nodes', async () => {
    const report = await cliRun('chained-hotstuff');
    expect(report.committed).toBe(3);
    expect(report.safetyViolations).toEqual([]);
    expect(report.messages.CHS_GENERIC).toBeGreaterThan(0);
    expect(report.messages.CHS_VOTE_GENERIC).toBeGreaterThan(0);
    expect(report.messages.HS_PREPARE + report.messages.PRE_PREPARE + report.messages.PROPOSAL).toBe(0);
    const honest = report.replicas.filter((r) => r.behaviour === null);
    for (const r of honest) expect(r.executed, `replica ${r.id}`).toEqual(honest[0].executed);
    // Each request's node is decided by three more above it: the log holds empty (null) nodes between the requests.
    expect(honest[0].executed.filter(([, digest]) => digest !== NULL_DIGEST)).toHaveLength(3);
  }, 60_000);
});
