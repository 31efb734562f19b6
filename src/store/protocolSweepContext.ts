import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ProtocolSweepState, ProtocolSweepStore } from './protocolSweepStore';

export const ProtocolSweepContext = createContext<ProtocolSweepStore | null>(null);

/** Read one slice of the protocol × n × m experiment; null when no store is provided (the panel is then not shown). */
export function useProtocolSweep<T>(selector: (s: ProtocolSweepState) => T): T | null {
  const store = useContext(ProtocolSweepContext);
  // A store that never changes stands in when none is provided, so the hook is called the same way every render.
  return useStore(store ?? NONE, (s) => (s ? selector(s) : null));
}

const NONE = { getState: () => null, getInitialState: () => null, subscribe: () => () => {}, setState: () => {} } as unknown as ProtocolSweepStore;
