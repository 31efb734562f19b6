import type { AdversaryFactory } from './types';

/** Crashed: nothing it says leaves it (its replica runs on, unheard). */
export const silent: AdversaryFactory = () => ({
  multicast: (_ctx, msg) => msg,
  send: () => {},
});
