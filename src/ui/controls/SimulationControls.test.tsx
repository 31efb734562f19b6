// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PARAMS, shownRange, type NumberParam } from '../../sim/params';
import { LabStoreContext } from '../../store/context';
import { createLabStore } from '../../store/labStore';
import { AdversaryControls } from './AdversaryControls';
import { NetworkControls, RunControls } from './SimulationControls';

function renderControls() {
  const store = createLabStore({ connect: () => ({ send: () => {}, dispose: () => {} }), requestFrame: () => {} });
  render(
    <LabStoreContext.Provider value={store}>
      <RunControls />
      <NetworkControls />
      <AdversaryControls />
    </LabStoreContext.Provider>,
  );
  return store;
}

const slider = (p: NumberParam) => screen.getByRole('slider', { name: p.label }) as HTMLInputElement;

afterEach(cleanup);

describe('the sliders', () => {
  it('span exactly the parameter table’s range (in display units), and work at both ends', () => {
    const store = renderControls();
    const read = (p: NumberParam) => {
      const s = store.getState();
      return p === PARAMS.omitProbability || p === PARAMS.extraDelayMs ? s.behaviourChoice[p.key as 'omitProbability' | 'extraDelayMs'] : s.scenario[p.key as 'f' | 'minDelayMs' | 'maxDelayMs' | 'dropRate' | 'reorderRate'];
    };
    const check = (p: NumberParam) => {
      const { min, max } = shownRange(p);
      const input = slider(p);
      expect([Number(input.min), Number(input.max)], p.label).toEqual([min, max]);
      for (const end of [max, min]) {
        act(() => void fireEvent.change(input, { target: { value: String(end) } }));
        expect(read(p), p.label).toBeCloseTo(end / p.scale, 12);
        expect(Number(slider(p).value), p.label).toBe(end);
      }
    };
    for (const p of [PARAMS.f, PARAMS.minDelayMs, PARAMS.maxDelayMs, PARAMS.dropRate, PARAMS.reorderRate]) check(p);
    // The behaviour knobs show only for their behaviour.
    act(() => store.getState().actions.chooseBehaviour({ kind: 'omit' }));
    check(PARAMS.omitProbability);
    act(() => store.getState().actions.chooseBehaviour({ kind: 'slow' }));
    check(PARAMS.extraDelayMs);
  });

  it('f at 0 draws one replica and says so', () => {
    const store = renderControls();
    act(() => void fireEvent.change(slider(PARAMS.f), { target: { value: '0' } }));
    expect(store.getState().scenario.f).toBe(0);
    expect(slider(PARAMS.f).getAttribute('aria-valuetext')).toBe('0 (n=1)');
  });
});
