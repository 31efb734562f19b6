import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LabStoreContext } from './store/context';
import { createLabStore } from './store/labStore';
import { App } from './ui/App';
import { connectWorker } from './worker/transport';
import './ui/styles.css';

const store = createLabStore({ connect: connectWorker });

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
import.meta.hot?.dispose(() => store.getState().actions.dispose());
