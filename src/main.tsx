import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LabStoreContext } from './store/context';
import { CompareStoreContext } from './store/compareContext';
import { createCompareStore } from './store/compareStore';
import { ExperimentStoreContext } from './store/experimentContext';
import { ProtocolSweepContext } from './store/protocolSweepContext';
import { createProtocolSweepStore } from './store/protocolSweepStore';
import { createExperimentStore } from './store/experimentStore';
import { createLabStore } from './store/labStore';
import { browserUrl, readEmbed, readShare, syncUrl } from './store/urlSync';
import { registerServiceWorker } from './serviceWorker/register';
import { App } from './ui/App';
import { storedTheme } from './ui/Chrome';
import { connectSweepWorker } from './worker/sweepTransport';
import { connectWorker } from './worker/transport';
import './ui/styles.css';

// The composition root: the only place that both creates the stores and hands them their workers. The views reach
// the workers through these stores alone.

// A shared link opens the scenario it carries; what it got wrong is said on the page, not silently dropped.
const shared = readShare(window.location.search);
const store = createLabStore({
  connect: connectWorker,
  scenario: shared.scenario,
  speed: shared.speed,
  preset: shared.preset,
  notices: shared.notices,
  theme: storedTheme(),
  embed: readEmbed(window.location.search),
});
const stopUrlSync = syncUrl(store, browserUrl());
// Starts no worker until Run is pressed; lives as long as the page, so a sweep survives switching tabs.
const experiments = createExperimentStore({ connect: connectSweepWorker });
// The protocol × n × m experiment: starts its sweep workers only when run, like the first.
const protocolSweep = createProtocolSweepStore({ connect: connectSweepWorker });
// Starts a worker per protocol only while the Compare tab is open; each run is a lab store of its own, shown like an
// embedded page (the stage alone) in the visualizer's theme.
const compare = createCompareStore({
  createLab: (scenario, speed) => createLabStore({ connect: connectWorker, scenario, speed, theme: store.getState().ui.theme, embed: true }),
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <LabStoreContext.Provider value={store}>
      <ExperimentStoreContext.Provider value={experiments}>
        <ProtocolSweepContext.Provider value={protocolSweep}>
          <CompareStoreContext.Provider value={compare}>
            <App />
          </CompareStoreContext.Provider>
        </ProtocolSweepContext.Provider>
      </ExperimentStoreContext.Provider>
    </LabStoreContext.Provider>
  </StrictMode>,
);

// Offline after one visit: production builds only (the dev server must never be cached).
if (import.meta.env.PROD) registerServiceWorker();

// Vite's hot reload would otherwise leave the old workers running beside the new ones.
import.meta.hot?.dispose(() => {
  stopUrlSync();
  store.getState().actions.dispose();
  experiments.getState().actions.dispose();
  compare.getState().actions.close();
  protocolSweep.getState().actions.dispose();
});
