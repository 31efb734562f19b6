import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ExperimentActions, ExperimentState, ExperimentStore } from './experimentStore';

export const ExperimentStoreContext = createContext<ExperimentStore | null>(null);

function useExperimentStore(): ExperimentStore {
  const store = useContext(ExperimentStoreContext);
  if (!store) throw new Error('useExperiment needs an <ExperimentStoreContext.Provider> above it.');
  return store;
}

/** Read one slice of the Experiments panel's state; the component re-renders only when that slice changes. */
export function useExperiment<T>(selector: (s: ExperimentState) => T): T {
  return useStore(useExperimentStore(), selector);
}

export function useExperimentActions(): ExperimentActions {
  return useStore(useExperimentStore(), (s) => s.actions);
}
