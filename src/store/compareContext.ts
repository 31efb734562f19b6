import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { CompareActions, CompareState, CompareStore } from './compareStore';

export const CompareStoreContext = createContext<CompareStore | null>(null);

function useCompareStore(): CompareStore {
  const store = useContext(CompareStoreContext);
  if (!store) throw new Error('useCompare needs a <CompareStoreContext.Provider> above it.');
  return store;
}

/** Read one slice of the Compare view's state; the component re-renders only when that slice changes. */
export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(useCompareStore(), selector);
}

export function useCompareActions(): CompareActions {
  return useStore(useCompareStore(), (s) => s.actions);
}
