/**
 * A test aid, documented in the README: with `?fault=render` in the URL the status panel throws while it renders,
 * from the moment the run first commits a request until someone presses "Restart from this scenario". It lets an
 * end-to-end test drive a real rendering failure through the real app — the error boundary must catch it, say so,
 * and restart with the same scenario. Nothing else reads the parameter; without it this does nothing.
 */
const RENDER_FAULT = 'render';

let armed = typeof window !== 'undefined' && new URLSearchParams(window.location.search).get('fault') === RENDER_FAULT;

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/** Throws (while the test aid is armed) when `now` holds. */
export function injectRenderFault(now: boolean): void {
  if (armed && now) throw new InjectedFault('Injected rendering fault (the ?fault=render test aid)');
}

/** Called when the person restarts: the fault has made its point. */
export function disarmRenderFault(): void {
  armed = false;
}
