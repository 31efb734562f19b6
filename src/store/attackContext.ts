import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AttackActions, AttackState, AttackStore } from './attackStore';

export const AttackStoreContext = createContext<AttackStore | null>(null);

function useAttackStore(): AttackStore {
  const store = useContext(AttackStoreContext);
  if (!store) throw new Error('useAttack needs an <AttackStoreContext.Provider> above it.');
  return store;
}

/** Read one slice of the Find an attack panel's state; the component re-renders only when that slice changes. */
export function useAttack<T>(selector: (s: AttackState) => T): T {
  return useStore(useAttackStore(), selector);
}

export function useAttackActions(): AttackActions {
  return useStore(useAttackStore(), (s) => s.actions);
}
