/**
 * For component tests: the whole App on the real worker host and core on this thread (store/labTestkit.ts), inside
 * the providers the page gives it, with hand-cranked frames.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { AttackStoreContext } from '../store/attackContext';
import { inProcessAttacks } from '../store/attackTestkit';
import { LabStoreContext } from '../store/context';
import { ExperimentStoreContext } from '../store/experimentContext';
import { inProcessLab } from '../store/labTestkit';
import { inProcessExperiments } from '../store/sweepTestkit';
import { App } from './App';

export function renderLab(options: Parameters<typeof inProcessLab>[0] = {}) {
  const lab = inProcessLab(options);
  render(
    <LabStoreContext.Provider value={lab.store}>
      <ExperimentStoreContext.Provider value={inProcessExperiments()}>
        <AttackStoreContext.Provider value={inProcessAttacks()}>
          <App />
        </AttackStoreContext.Provider>
      </ExperimentStoreContext.Provider>
    </LabStoreContext.Provider>,
  );
  /** Let the in-process "worker" answer and React render it. */
  const settle = () =>
    act(async () => {
      await new Promise((r) => setTimeout(r, 0));
      for (const cb of lab.frames.splice(0)) cb();
      await new Promise((r) => setTimeout(r, 0));
    });
  return { ...lab, settle };
}

/** Opens a drawer from the rail (the stage alone at first), unless it is open already. */
export function openDrawer(name: string): void {
  const button = within(screen.getByRole('navigation', { name: 'Drawers' })).getByRole('button', { name });
  if (button.getAttribute('aria-expanded') !== 'true') fireEvent.click(button);
}
