import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { TimedIntervention } from './sim/types';
import { AttackStoreContext } from './store/attackContext';
import { createAttackStore } from './store/attackStore';
import { LabStoreContext } from './store/context';
import { CompareStoreContext } from './store/compareContext';
import { createCompareStore, readCompared, withCompared } from './store/compareStore';
import { decodeSchedule, SCHEDULE_KEY } from './store/scheduleLink';
import { ExperimentStoreContext } from './store/experimentContext';
import { ProtocolSweepContext } from './store/protocolSweepContext';
import { createProtocolSweepStore } from './store/protocolSweepStore';
import { createExperimentStore } from './store/experimentStore';
import { createLabStore } from './store/labStore';
import { browserUrl, readEmbed, readShare, syncUrl } from './store/urlSync';
import { registerServiceWorker } from './serviceWorker/register';
import { App } from './ui/App';
import { storedTheme } from './ui/Chrome';
import { connectAttackWorker } from './worker/attackTransport';
import { connectSweepWorker } from './worker/sweepTransport';
import { connectWorker } from './worker/transport';
import './ui/styles.css';

// The composition root: the only place that both creates the stores and hands them their workers. The views reach
// the workers through these stores alone.

// A shared link opens the scenario it carries; what it got wrong is said on the page, not silently dropped.
const shared = readShare(window.location.search);
// And, for the Compare tab, the protocols it compares.
const compared = readCompared(window.location.search);
if (compared.notice) shared.notices.push(compared.notice);

/** A link's schedule (the run's interventions), read before the first run starts; a damaged one is said, not replayed. */
async function sharedSchedule(): Promise<TimedIntervention[] | undefined> {
  const raw = new URLSearchParams(window.location.search).get(SCHEDULE_KEY);
  if (raw === null) return undefined;
  try {
    return await decodeSchedule(raw, shared.scenario);
  } catch (err) {
    shared.notices.push(`Ignored the link’s schedule: ${err instanceof Error ? err.message : String(err)}; the run starts without it.`);
    return undefined;
  }
}

async function start() {
  const interventions = await sharedSchedule();
  const store = createLabStore({
    connect: connectWorker,
    scenario: shared.scenario,
    speed: shared.speed,
    preset: shared.preset,
    notices: shared.notices,
    theme: storedTheme(),
    embed: readEmbed(window.location.search),
    interventions,
  });
  const stopUrlSync = syncUrl(store, browserUrl());
  // Starts no worker until Run is pressed; lives as long as the page, so a sweep survives switching tabs.
  const experiments = createExperimentStore({ connect: connectSweepWorker });
  // Starts no worker until Search is pressed.
  const attacks = createAttackStore({ connect: connectAttackWorker });
  // The protocol × n × m experiment: starts its sweep workers only when run, like the first.
  const protocolSweep = createProtocolSweepStore({ connect: connectSweepWorker });
  // Starts a worker per protocol only while the Compare tab is open; each run is a lab store of its own, shown like an
  // embedded page (the stage alone) in the visualizer's theme.
  const compare = createCompareStore({
    createLab: (scenario, speed) => createLabStore({ connect: connectWorker, scenario, speed, theme: store.getState().ui.theme, embed: true }),
    modes: compared.modes,
    onModes: (modes) => {
      const query = withCompared(window.location.search, modes);
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
    },
  });

  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');

  createRoot(root).render(
    <StrictMode>
      <LabStoreContext.Provider value={store}>
        <ExperimentStoreContext.Provider value={experiments}>
          <AttackStoreContext.Provider value={attacks}>
            <ProtocolSweepContext.Provider value={protocolSweep}>
              <CompareStoreContext.Provider value={compare}>
                <App />
              </CompareStoreContext.Provider>
            </ProtocolSweepContext.Provider>
          </AttackStoreContext.Provider>
        </ExperimentStoreContext.Provider>
      </LabStoreContext.Provider>
    </StrictMode>,
  );

  // Vite's hot reload would otherwise leave the old workers running beside the new ones.
  import.meta.hot?.dispose(() => {
    stopUrlSync();
    store.getState().actions.dispose();
    experiments.getState().actions.dispose();
    attacks.getState().actions.dispose();
    compare.getState().actions.close();
    protocolSweep.getState().actions.dispose();
  });
}

void start();

// Offline after one visit: production builds only (the dev server must never be cached).
if (import.meta.env.PROD) registerServiceWorker();
