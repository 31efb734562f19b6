import { useEffect, useId, useState } from 'react';
import { ExperimentStoreContext } from '../../store/experimentContext';
import { createExperimentStore, type ExperimentStore } from '../../store/experimentStore';
import { connectSweepWorker } from '../../worker/sweepTransport';
import { Definitions } from './Definitions';
import { ExperimentForm } from './ExperimentForm';
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
    </section>
  );
}

/**
 * The Experiments tab's content. It owns its store, and stays mounted while the visualizer is shown (rendering
 * nothing then), so a running sweep and its results survive switching tabs.
 */
export function ExperimentsView({ active, store: given }: { active: boolean; store?: ExperimentStore }) {
  const [store] = useState(() => given ?? createExperimentStore({ connect: connectSweepWorker }));
  // Leaving the page (or a hot reload) must not leave workers running.
  useEffect(() => () => store.getState().actions.dispose(), [store]);
  return <ExperimentStoreContext.Provider value={store}>{active && <ExperimentsPanel />}</ExperimentStoreContext.Provider>;
}
