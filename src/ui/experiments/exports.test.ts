import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, runSweep, seedExperiment, toCsv, trialScenario } from '../../sim/experiment';
import { protocolSweepConfig } from '../../store/protocolSweepStore';
import { decodeShare } from '../../sim/share';
import { collectResults, type SweepOutcome } from '../../store/experimentStore';
import { representativeTrial, chartSeries } from './chartData';
import { csvExport, jsonExport, protocolCsvExport } from './exports';
import { trialCommand, trialHref, visualizerCanShow } from './openTrial';

/** A sweep's result as the panel holds it: trials without their scenarios. */
function outcome(config = seedExperiment()): SweepOutcome {
  const full = runSweep(config);
  return { ...full, trials: full.trials.map(({ scenario: _s, ...t }) => t) };
}

describe('exports', () => {
  it('the CSV is exactly toCsv(rows), named after n and the mode', () => {
    const r = outcome(seedExperiment({ mode: 'seed' }));
    const file = csvExport(r);
    expect(file.parts.join('')).toBe(toCsv(r.rows));
    expect(file.filename).toBe('pbft-sweep-n10-seed.csv');
    expect(file.type).toBe('text/csv');
    expect(csvExport(outcome(seedExperiment({ n: 7, mValues: [0, 2] })), true).filename).toBe('pbft-sweep-n7-pbft-partial.csv');
  });

  it('the JSON is byte for byte what `npm run sim -- sweep --json` prints, for one mode and for both', () => {
    const pbft = runSweep(seedExperiment({ mode: 'pbft', trials: 3 }));
    const seed = runSweep(seedExperiment({ mode: 'seed', trials: 3 }));
    const cli = (r: typeof pbft) => ({ mode: r.config.mode, config: r.config, f: r.f, rows: r.rows, trials: r.trials });
    const strip = (r: typeof pbft): SweepOutcome => ({ ...r, trials: r.trials.map(({ scenario: _s, ...t }) => t) });
    const one = jsonExport([strip(pbft)]);
    expect(one.parts.join('')).toBe(JSON.stringify(cli(pbft)) + '\n');
    expect(one.filename).toBe('pbft-sweep-n10-pbft.json');
    const both = jsonExport([strip(seed), strip(pbft)]);
    expect(both.parts.join('')).toBe(JSON.stringify([cli(seed), cli(pbft)]) + '\n');
    expect(both.filename).toBe('pbft-sweep-n10-both.json');
  });

  it('a partial JSON says how many trials ran of how many planned', () => {
    const config = seedExperiment({ mValues: [0, 3] });
    const [partial] = collectResults([config], outcome(config).trials.slice(0, 5).map((t) => ({ sweep: 0, outcome: t })));
    const parsed = JSON.parse(jsonExport([partial], true).parts.join(''));
    expect(parsed.partial).toEqual({ ran: 5, planned: 12 });
    expect(parsed.trials).toHaveLength(5);
  });
});

describe('the protocol sweep’s CSV', () => {
  it('has a header and one line per protocol × n × m point, each with the core’s numbers for that point', () => {
    const modes = ['pbft', 'hotstuff', 'tendermint'] as const;
    const results = modes.flatMap((mode) => [4, 7].map((n) => outcome(protocolSweepConfig(mode, n, [0, 1], 1, 3))));
    const file = protocolCsvExport(results);
    expect(file.filename).toBe('protocol-sweep-pbft-hotstuff-tendermint-n4-7.csv');
    expect(file.type).toBe('text/csv');
    expect(protocolCsvExport(results.slice(0, 2), true).filename).toBe('protocol-sweep-pbft-n4-7-partial.csv');
    const [header, ...lines] = file.parts.join('').trimEnd().split('\n');
    expect(header.split(',')).toEqual(['protocol', 'n', ...CSV_COLUMNS]);
    expect(lines).toHaveLength(3 * 2 * 2);
    const col = (name: string) => header.split(',').indexOf(name);
    const points = lines.map((line) => line.split(','));
    expect(points.map((c) => `${c[0]}:${c[1]}:${c[col('m')]}`)).toEqual(modes.flatMap((mode) => [4, 7].flatMap((n) => [0, 1].map((m) => `${mode}:${n}:${m}`))));
    for (const c of points) {
      const row = results.find((r) => r.config.mode === c[0] && r.config.n === Number(c[1]))!.rows.find((r) => r.m === Number(c[col('m')]))!;
      expect(Number(c[col('trials')])).toBe(row.trials);
      expect(Number(c[col('successes')])).toBe(row.successes);
      expect(Number(c[col('messages_per_committed_request')])).toBe(row.messagesPerCommittedRequest);
      expect(c[col('mean_latency_ms')]).toBe(row.meanLatencyMs === null ? '' : String(row.meanLatencyMs));
    }
    // With no liar HotStuff's messages per decision stay linear: fewer than PBFT's at n = 7.
    const at = (mode: string) => Number(points.find((c) => c[0] === mode && c[1] === '7' && c[col('m')] === '0')![col('messages_per_committed_request')]);
    expect(at('hotstuff')).toBeLessThan(at('pbft'));
  });
});

describe('opening a trial', () => {
  it('links to this page with the trial’s exact scenario (its liars, seed, network and mode)', () => {
    const config = seedExperiment({ mode: 'seed' });
    const href = trialHref(config, 5, 2)!;
    expect(href.startsWith('?')).toBe(true);
    const shared = decodeShare(href.slice(1));
    expect(shared.notices).toEqual([]);
    const { n: _n, ...expected } = trialScenario(config, 5, 2);
    const { n: _m, ...opened } = shared.scenario;
    expect(opened).toEqual(expected);
    expect(Object.keys(shared.scenario.malicious)).toHaveLength(5);
  });

  it('only n = 3f + 1 can be drawn; other n get the exact command line', () => {
    expect([4, 7, 10, 100].every(visualizerCanShow)).toBe(true);
    expect([1, 3, 5, 11].some(visualizerCanShow)).toBe(false);
    const config = seedExperiment({ n: 11, mValues: [0, 4] });
    expect(trialHref(config, 4, 0)).toBeNull();
    const command = trialCommand(config, 4, 0);
    expect(command).toBe(`npm run sim -- --scenario '${JSON.stringify(trialScenario(config, 4, 0))}' --limit 2000`);
  });

  it('a point opens a trial that shows what the point is about', () => {
    const r = outcome(seedExperiment({ mValues: [3], trials: 6, mode: 'seed' }));
    const failed = r.trials.find((t) => !t.success)!;
    const succeeded = r.trials.find((t) => t.success)!;
    expect(representativeTrial(r.trials, 'success')).toBe(failed);
    expect(representativeTrial(r.trials, 'latency')).toBe(succeeded);
    expect(representativeTrial(r.trials, 'agreement')).toBe(r.trials[0]); // agreement held everywhere
    const [series] = chartSeries([r], 'success');
    expect(series.points[0].name).toBe(`m = 3: ${r.rows[0].successes} of 6 succeeded (seed mode)`);
    expect(series.points[0].href).toBe(trialHref(r.config, 3, failed.trial));
    expect(series.points[0].description).toBe(`Opens trial ${failed.trial + 1} (failed) in the visualizer, in a new tab.`);
  });

  it('the article’s series sits beside n = 10 only, at the m values that ran', () => {
    const ten = chartSeries([outcome(seedExperiment({ mValues: [0, 3, 4] }))], 'latency');
    expect(ten.map((s) => s.key)).toEqual(['pbft', 'article']);
    expect(ten[1].points.map((p) => [p.m, p.y])).toEqual([
      [0, 150],
      [3, 270],
    ]);
    expect(chartSeries([outcome(seedExperiment({ n: 7, mValues: [0, 3] }))], 'success').map((s) => s.key)).toEqual(['pbft', 'pbft-fooled']);
  });

  it('the success chart has a fooled series per mode; its point names the fooled trials and opens one', () => {
    const config = seedExperiment({ mValues: [3, 4], trials: 8 });
    const r = outcome(config);
    const series = chartSeries([r], 'success');
    expect(series.map((s) => s.key)).toEqual(['pbft', 'pbft-fooled', 'article']);
    const fooled = series[1];
    // Counted here from the trials, not from the rows the series is drawn from.
    const at4 = r.trials.filter((t) => t.m === 4);
    const fooledAt4 = at4.filter((t) => t.fooled > 0);
    expect(fooledAt4.length).toBeGreaterThan(0);
    expect(fooled.points.map((p) => [p.m, p.y])).toEqual([
      [3, 0],
      [4, fooledAt4.length / at4.length],
    ]);
    expect(fooled.points[1].name).toBe(`m = 4: client fooled in ${fooledAt4.length} of 8 (PBFT)`);
    expect(fooled.points[1].href).toBe(trialHref(config, 4, fooledAt4[0].trial));
    expect(fooled.points[1].description).toBe(`Opens trial ${fooledAt4[0].trial + 1} (failed, client fooled) in the visualizer, in a new tab.`);
    // A fooled trial is never a success.
    expect(at4.filter((t) => t.success && t.fooled > 0)).toEqual([]);
  });
});
