import { runSweep, toCsv, toMarkdown } from '../sim/experiment';
import { runScenario, type RunReport } from '../sim/report';
import { parseRunArgs, parseSweepArgs, SWEEP_USAGE, UsageError, USAGE } from './args';

function summary(r: RunReport): string {
  const lines = [
    `PBFT run: n = ${r.n}, f = ${r.f}, seed = ${r.seed}, virtual time ${r.virtualTimeMs} ms`,
    `requests accepted by the client: ${r.committed} (outstanding ${r.outstanding})`,
    ...(r.fooled > 0
      ? [`CLIENT FOOLED: ${r.fooled} of them ${r.fooled === 1 ? 'was' : 'were'} accepted although no honest replica executed ${r.fooled === 1 ? 'it' : 'them'} with that result (more than f liars answered)`]
      : []),
    ...(r.waitingBecause ? [`why: ${r.waitingBecause}`] : []),
    `latency (virtual ms): ${r.latencyMs.length ? r.latencyMs.join(', ') : '—'}`,
    `messages sent: ${Object.entries(r.messages).map(([t, c]) => `${t} ${c}`).join(', ')}; delivered ${r.delivered}, dropped ${r.dropped}`,
    r.safetyViolations.length === 0 ? 'safety: no violation' : `SAFETY VIOLATED:\n${r.safetyViolations.map((v) => `  - ${v.message}`).join('\n')}`,
    'replicas:',
    ...r.replicas.map((x) => `  ${x.id}${x.behaviour ? ` (${x.behaviour})` : ''}: view ${x.view}, executed ${x.executed.map(([s, d]) => `#${s}:${d}`).join(' ') || 'nothing'}`),
  ];
  return lines.join('\n');
}

function main(argv: string[]): number {
  try {
    if (argv[0] === 'sweep') return sweep(argv.slice(1));
    const options = parseRunArgs(argv);
    if (options.command === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const report = runScenario(options.scenario, options.limitMs);
    process.stdout.write((options.json ? JSON.stringify(report) : summary(report)) + '\n');
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function sweep(argv: string[]): number {
  const options = parseSweepArgs(argv);
  if (options.command === 'help') {
    process.stdout.write(SWEEP_USAGE + '\n');
    return 0;
  }
  const results = options.modes.map((mode) => runSweep({ ...options.config, mode }));
  if (options.format === 'json') {
    // Trials carry whole scenarios; the JSON keeps them so any trial can be replayed.
    const out = results.map((r) => ({ mode: r.config.mode, config: r.config, f: r.f, rows: r.rows, trials: r.trials }));
    process.stdout.write(JSON.stringify(out.length === 1 ? out[0] : out) + '\n');
  } else if (options.format === 'csv') {
    for (const r of results) process.stdout.write((results.length > 1 ? `# mode ${r.config.mode}\n` : '') + toCsv(r.rows));
  } else {
    process.stdout.write(results.map(toMarkdown).join('\n\n') + '\n');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
