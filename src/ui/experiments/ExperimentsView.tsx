import { useId } from 'react';
import { Definitions } from './Definitions';
import { ExperimentForm } from './ExperimentForm';
import { ProtocolSweepPanel } from './ProtocolSweep';
import { Results } from './Results';
import { RunBar } from './RunBar';
import './experiments.css';

/** The panel itself: settings on the left, run controls, help and results on the right. */
export function ExperimentsPanel() {
  const formId = useId();
  return (
    <section className="experiments" aria-labelledby="experiments-heading">
      <div className="exp-side">
        <h2 id="experiments-heading" className="exp-title">
          Experiments
        </h2>
        <p className="exp-intro">Sweep the number of liars m and watch when agreement stops — as in the seed article, and beyond.</p>
        <ExperimentForm id={formId} />
      </div>
      <div className="exp-main">
        <RunBar formId={formId} />
        <Definitions />
        <Results />
      </div>
      <ProtocolSweepPanel />
    </section>
  );
}

/**
 * The Experiments tab's content. Its store (created in src/main.tsx) outlives the tab, so a running sweep and its
 * results survive switching to the visualizer and back.
 */
export function ExperimentsView({ active }: { active: boolean }) {
  return active ? <ExperimentsPanel /> : null;
}
