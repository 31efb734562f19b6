import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LabStoreContext } from './store/context';
import { createLabStore } from './store/labStore';
import { browserUrl, readShare, syncUrl } from './store/urlSync';
import { App } from './ui/App';
import { storedTheme } from './ui/Chrome';
import { connectWorker } from './worker/transport';
import './ui/styles.css';

// A shared link opens the scenario it carries; what it got wrong is said on the page, not silently dropped.
const shared = readShare(window.location.search);
const store = createLabStore({
  connect: connectWorker,
  scenario: shared.scenario,
  speed: shared.speed,
  preset: shared.preset,
  notices: shared.notices,
  theme: storedTheme(),
});
const stopUrlSync = syncUrl(store, browserUrl());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <LabStoreContext.Provider value={store}>
      <App />
    </LabStoreContext.Provider>
  </StrictMode>,
);

// Vite's hot reload would otherwise leave the old worker running beside the new one.
import.meta.hot?.dispose(() => {
  stopUrlSync();
  store.getState().actions.dispose();
});
