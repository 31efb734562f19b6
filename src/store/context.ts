import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabActions, LabState, LabStore } from './labStore';

export const LabStoreContext = createContext<LabStore | null>(null);

function useLabStore(): LabStore {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useLab needs a <LabStoreContext.Provider> above it.');
  return store;
}

/** Read one slice of the lab; the component re-renders only when that slice changes (Object.is). */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabStore(), selector);
}

/** Actions never change, so reading them never causes a render. */
export function useLabActions(): LabActions {
  return useStore(useLabStore(), (s) => s.actions);
}
