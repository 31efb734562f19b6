import { useExperiment, useExperimentActions } from '../../store/experimentContext';
import type { ExperimentRun } from '../../store/experimentStore';

function percent(run: ExperimentRun | null): number {
  if (!run || run.total === 0) return 0;
  // Floor, so 100 % means every trial has finished.
  return Math.floor((100 * run.done) / run.total);
}

function statusText(run: ExperimentRun): string {
  const trials = `${run.done.toLocaleString('en')} of ${run.total.toLocaleString('en')} trials`;
  switch (run.status) {
    case 'running':
      // No counts here: they would be re-announced many times a second (the progress bar carries them).
      return `Running ${run.total.toLocaleString('en')} trials on ${run.workers} worker thread${run.workers === 1 ? '' : 's'}…`;
    case 'done':
      return `Done: ${trials}.`;
    case 'cancelled':
      return `Cancelled after ${trials}: the results below hold only the trials that ran.`;
    case 'error':
      return 'Stopped by an error.';
  }
}

/** Run, Cancel, the article's experiment, and the progress of the current run. */
export function RunBar({ formId }: { formId: string }) {
  const run = useExperiment((s) => s.run);
  const { cancel, loadArticleExperiment } = useExperimentActions();
  const running = run?.status === 'running';
  const pct = percent(run);
  return (
    <div className="exp-runbar panel">
      <div className="exp-buttons">
        {/* Submits the settings form, so Enter in any box does the same. */}
        <button type="submit" form={formId} className="primary-action" aria-disabled={running || undefined}>
          <span aria-hidden="true">▶ </span>Run
        </button>
        {/* aria-disabled rather than disabled: the button keeps keyboard focus when the run ends. */}
        <button type="button" onClick={cancel} aria-disabled={!running || undefined}>
          <span aria-hidden="true">■ </span>Cancel
        </button>
        <button type="button" onClick={loadArticleExperiment} disabled={running}>
          Load the article’s experiment
        </button>
      </div>
      <div className="exp-progress">
        <div
          className={`exp-progress-track${run ? ` is-${run.status}` : ''}`}
          role="progressbar"
          aria-label="Sweep progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-valuetext={run ? `${pct} %: ${run.done} of ${run.total} trials` : 'not started'}
        >
          <div className="exp-progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <span className="exp-progress-text" aria-hidden="true">
          {pct} %{run ? ` · ${run.done.toLocaleString('en')} / ${run.total.toLocaleString('en')} trials` : ''}
        </span>
      </div>
      {/* Polite, and its words change only when a run starts or ends: progress itself is the progress bar's job. */}
      <p className="exp-status" role="status">
        {run ? statusText(run) : 'Choose the settings, then Run. Results appear as the trials finish.'}
      </p>
      {run?.status === 'error' && (
        <div className="exp-error" role="alert">
          <strong>The experiment stopped:</strong> {run.error} Your settings are unchanged; press Run to try again.
        </div>
      )}
    </div>
  );
}
