// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/scenario';
import { CompareStoreContext } from '../../store/compareContext';
import { createCompareStore, type CompareStore } from '../../store/compareStore';
import { LabStoreContext } from '../../store/context';
import { inProcessLab } from '../../store/labTestkit';
import { CompareView } from './CompareView';

const kits: Array<ReturnType<typeof inProcessLab>> = [];
let compare: CompareStore;

function renderCompare() {
  const main = inProcessLab({ scenario: defaultScenario({ f: 2, seed: 4, malicious: { 3: { kind: 'forge-view-change' } } }) });
  kits.push(main);
  compare = createCompareStore({
    createLab: (scenario, speed) => {
      const kit = inProcessLab({ scenario, speed, embed: true });
      kits.push(kit);
      return kit.store;
    },
    requestFrame: () => {},
  });
  render(
    <LabStoreContext.Provider value={main.store}>
      <CompareStoreContext.Provider value={compare}>
        <CompareView />
      </CompareStoreContext.Provider>
    </LabStoreContext.Provider>,
  );
  return act(async () => {
    for (const kit of kits) await kit.frame();
  });
}

afterEach(() => {
  cleanup();
  kits.splice(0);
});

describe('<CompareView>', () => {
  it('opens the visualizer’s scenario under PBFT and HotStuff, a labelled column each with its replicas and counters', async () => {
    await renderCompare();
    for (const name of ['PBFT', 'HotStuff', 'Tendermint', 'Seed article']) expect(screen.getByRole('checkbox', { name })).toBeTruthy();
    for (const name of ['Play all', 'Pause', 'Step', 'Reset']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Speed' })).toBeTruthy();
    for (const name of ['PBFT', 'HotStuff']) {
      const column = screen.getByRole('region', { name });
      expect(within(column).getAllByRole('button', { name: /^Replica \d+/ })).toHaveLength(7);
      const counters = within(column).getByLabelText(`${name} counters`);
      expect(within(counters).getByText('Messages / decision')).toBeTruthy();
    }
    expect(screen.getByText(/Same scenario for all: n = 7 \(f = 2\), seed 4/)).toBeTruthy();
    // PBFT's view-change forgery means nothing in HotStuff: that column says its liar is honest there.
    expect(within(screen.getByRole('region', { name: 'HotStuff' })).getByText(/replica 3 \(forge-view-change\) is honest here/)).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'PBFT' })).queryByText(/is honest here/)).toBeNull();
  });

  it('refuses to compare fewer than two protocols, and says why', async () => {
    await renderCompare();
    fireEvent.click(screen.getByRole('checkbox', { name: 'HotStuff' }));
    expect(screen.getByRole('status').textContent).toMatch(/at least 2 protocols/);
    expect((screen.getByRole('checkbox', { name: 'HotStuff' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Tendermint' }));
    expect(screen.getAllByRole('region').map((r) => r.getAttribute('aria-label'))).toEqual(expect.arrayContaining(['PBFT', 'HotStuff', 'Tendermint']));
  });

  it('stops its runs when it closes', async () => {
    await renderCompare();
    const panes = kits.slice(1);
    expect(panes).toHaveLength(2);
    cleanup();
    expect(compare.getState().panes).toEqual([]);
    // Their workers are gone: a command reaches none of them.
    for (const kit of panes) {
      const before = kit.sent.length;
      kit.actions.step();
      expect(kit.sent.length).toBe(before);
    }
  });
});
