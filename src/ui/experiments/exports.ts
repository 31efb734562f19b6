/**
 * The experiment as files: one CSV per protocol mode (exactly `toCsv(rows)`, the CLI's --csv) and the whole result
 * as JSON in the CLI's --json shape, with every trial's scenario so any trial can be replayed; the protocol × n × m
 * experiment as one CSV (`toProtocolCsv`: the same columns after the protocol and n).
 */
import { toCsv, toProtocolCsv, trialScenario } from '../../sim/experiment';
import type { SweepOutcome } from '../../store/experimentStore';

export interface ExportFile {
  filename: string;
  type: string;
  /** Parts of the file, so a large JSON is never one giant string. */
  parts: string[];
}

function stem(result: Pick<SweepOutcome, 'config'>, mode: string, partial: boolean): string {
  return `pbft-sweep-n${result.config.n}-${mode}${partial ? '-partial' : ''}`;
}

export function csvExport(result: SweepOutcome, partial = false): ExportFile {
  return { filename: `${stem(result, result.config.mode, partial)}.csv`, type: 'text/csv', parts: [toCsv(result.rows)] };
}

/** The protocol × n × m experiment: a line per (protocol, n, m) point, named after its protocols and n values. */
export function protocolCsvExport(results: readonly SweepOutcome[], partial = false): ExportFile {
  const modes = [...new Set(results.map((r) => r.config.mode))];
  const ns = [...new Set(results.map((r) => r.config.n))].sort((a, b) => a - b);
  return { filename: `protocol-sweep-${modes.join('-')}-n${ns.join('-')}${partial ? '-partial' : ''}.csv`, type: 'text/csv', parts: [toProtocolCsv(results)] };
}

/**
 * `{ mode, config, f, rows, trials }` per mode (an array when both ran), as `npm run sim -- sweep --json` prints.
 * A cancelled run says so in `partial` (trials that ran / planned).
 */
export function jsonExport(results: readonly SweepOutcome[], partial = false): ExportFile {
  const mode = results.length === 1 ? results[0].config.mode : 'both';
  const parts: string[] = [results.length === 1 ? '' : '['];
  results.forEach((r, k) => {
    const planned = r.config.mValues.length * r.config.trials;
    const head = { mode: r.config.mode, config: r.config, f: r.f, rows: r.rows, ...(partial ? { partial: { ran: r.trials.length, planned } } : {}) };
    parts.push(`${k > 0 ? ',' : ''}${JSON.stringify(head).slice(0, -1)},"trials":[`);
    r.trials.forEach((t, i) => {
      // Same key order as runTrial's TrialResult, so the file matches the CLI's byte for byte.
      const full = { m: t.m, trial: t.trial, scenario: trialScenario(r.config, t.m, t.trial), success: t.success, agreement: t.agreement, fooled: t.fooled, latenciesMs: t.latenciesMs, viewChanges: t.viewChanges, messages: t.messages, completedRequests: t.completedRequests };
      parts.push((i > 0 ? ',' : '') + JSON.stringify(full));
    });
    parts.push(']}');
  });
  parts.push(results.length === 1 ? '\n' : ']\n');
  return { filename: `${results.length ? stem(results[0], mode, partial) : 'pbft-sweep'}.json`, type: 'application/json', parts };
}

/** Saves a file through a Blob URL and a temporary link (the browser's own download, no server). */
export function download(file: ExportFile, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob(file.parts, { type: file.type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute later nothing still needs it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
