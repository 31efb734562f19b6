import { describe, expect, it } from 'vitest';
import { quorumSize, toleratedFaults } from './scenario';
import { msg, phasesOf, quietWorld, signedRequest } from './testkit';

/** n = 7, f = 2: a backup is prepared with the PRE-PREPARE and 2f = 4 matching PREPAREs (its own counts). */
function preparedAfter(votes: Array<{ from: number; view?: number; digest?: string }>) {
  const sim = quietWorld({ f: 2 });
  const request = signedRequest(sim);
  const backup = 1;
  const trace = [...sim.inject(backup, msg('PRE_PREPARE', 0, { digest: request.digest, request }))];
  for (const v of votes) trace.push(...sim.inject(backup, msg('PREPARE', v.from, { view: v.view ?? 0, digest: v.digest ?? request.digest })));
  return phasesOf(trace, backup, 1).includes('prepared');
}

describe('quorums', () => {
  it('2f+1 = ⌈(n+f+1)/2⌉ when n = 3f+1', () => {
    for (let f = 0; f <= 33; f++) expect(quorumSize(3 * f + 1, f)).toBe(2 * f + 1);
    expect(toleratedFaults(10)).toBe(3);
  });

  it('2f matching PREPAREs (own included) make a backup prepared; 2f − 1 do not', () => {
    expect(preparedAfter([{ from: 2 }, { from: 3 }])).toBe(false); // own + 2 = 3 = 2f − 1
    expect(preparedAfter([{ from: 2 }, { from: 3 }, { from: 4 }])).toBe(true); // own + 3 = 4 = 2f
  });

  it('the same replica voting twice counts once', () => {
    expect(preparedAfter([{ from: 2 }, { from: 3 }, { from: 3 }, { from: 2 }])).toBe(false);
  });

  it('votes for another digest or another view do not count', () => {
    expect(preparedAfter([{ from: 2 }, { from: 3 }, { from: 4, digest: 'deadbeef' }])).toBe(false);
    expect(preparedAfter([{ from: 2 }, { from: 3 }, { from: 4, view: 1 }])).toBe(false);
  });

  it('a PREPARE from the primary is not counted', () => {
    expect(preparedAfter([{ from: 2 }, { from: 3 }, { from: 0 }])).toBe(false);
  });

  it('committed-local needs prepared plus 2f+1 matching COMMITs from distinct replicas', () => {
    const sim = quietWorld({ f: 1 });
    const request = signedRequest(sim);
    const d = request.digest;
    const trace = [...sim.inject(1, msg('PRE_PREPARE', 0, { digest: d, request }))];
    trace.push(...sim.inject(1, msg('PREPARE', 2, { digest: d }))); // prepared: sends its own COMMIT
    trace.push(...sim.inject(1, msg('COMMIT', 2, { digest: d })));
    trace.push(...sim.inject(1, msg('COMMIT', 2, { digest: d })));
    expect(phasesOf(trace, 1, 1)).toEqual(['pre-prepared', 'prepared']);
    trace.push(...sim.inject(1, msg('COMMIT', 0, { digest: d })));
    expect(phasesOf(trace, 1, 1)).toEqual(['pre-prepared', 'prepared', 'committed', 'executed']);
  });
});
