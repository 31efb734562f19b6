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
    for (const name of ['PBFT', 'HotStuff', 'Chained HotStuff', 'Tendermint', 'Seed article']) expect(screen.getByRole('checkbox', { name })).toBeTruthy();
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

  it('changes n, the seed, the network and the liars for every column at once: each run starts again on the one clock, and the visualizer (so the address) holds the same scenario', async () => {
    await renderCompare();
    const before = compare.getState().panes.map((p) => p.id);
    fireEvent.click(screen.getByText('Change it'));
    const form = screen.getByRole('form', { name: 'Scenario for every column' });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Replicas' }), { target: { value: '10' } });
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Seed' }), { target: { value: '9' } });
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Max delay (ms)' }), { target: { value: '60' } });
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Drop rate (%)' }), { target: { value: '10' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'New liar' }), { target: { value: '8' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Behaviour' }), { target: { value: 'omit' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add liar' }));
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Omit probability (%)' }), { target: { value: '25' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Run all with this scenario' }));
    await act(async () => {
      for (const kit of kits) await kit.frame();
    });
    const panes = compare.getState().panes;
    expect(panes.map((p) => p.id).some((id) => before.includes(id))).toBe(false);
    expect(compare.getState().time).toBe(0);
    const shared = { f: 3, seed: 9, minDelayMs: 5, maxDelayMs: 60, dropRate: 0.1 };
    const [pbft, hotstuff] = panes.map((p) => p.store.getState().scenario);
    expect(pbft).toMatchObject({ ...shared, mode: 'pbft', malicious: { 3: { kind: 'forge-view-change' }, 8: { kind: 'omit', omitProbability: 0.25 } } });
    // HotStuff has no view-change forgery: replica 3 is honest in its column, as the column says.
    expect(hotstuff).toMatchObject({ ...shared, mode: 'hotstuff', malicious: { 8: { kind: 'omit', omitProbability: 0.25 } } });
    expect(hotstuff.malicious[3]).toBeUndefined();
    for (const name of ['PBFT', 'HotStuff']) expect(within(screen.getByRole('region', { name })).getAllByRole('button', { name: /^Replica \d+/ })).toHaveLength(10);
    // The visualizer's scenario is the shared one: the address (synced from it) carries what Compare shows.
    expect(kits[0].store.getState().scenario).toMatchObject({ ...shared, malicious: { 3: { kind: 'forge-view-change' }, 8: { kind: 'omit', omitProbability: 0.25 } } });
    expect(screen.getByText(/Same scenario for all: n = 10 \(f = 3\), seed 9, delays 5–60 ms, 10 % lost, replica 3 forge-view-change, replica 8 omit \(25 %\)/)).toBeTruthy();
  });

  it('a value it cannot use is said next to its box, kept as typed, and changes no run', async () => {
    await renderCompare();
    const before = compare.getState().panes.map((p) => p.id);
    const visualizer = kits[0].store.getState().scenario;
    fireEvent.click(screen.getByText('Change it'));
    const form = screen.getByRole('form', { name: 'Scenario for every column' });
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Seed' }), { target: { value: '1.5' } });
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Min delay (ms)' }), { target: { value: '50' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Run all with this scenario' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/2 values need fixing/);
    const seed = within(form).getByRole('spinbutton', { name: 'Seed' }) as HTMLInputElement;
    expect(seed.value).toBe('1.5');
    expect(seed.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(seed.getAttribute('aria-describedby')!)!.textContent).toMatch(/Seed must be a whole number; 1\.5 is not/);
    expect(within(form).getByText(/Min delay \(50 ms\) must not exceed max delay \(40 ms\)/)).toBeTruthy();
    expect(compare.getState().panes.map((p) => p.id)).toEqual(before);
    expect(kits[0].store.getState().scenario).toBe(visualizer);
    // Fixed, the message goes; Undo puts the form back as the runs have it.
    fireEvent.change(seed, { target: { value: '2' } });
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Min delay (ms)' }), { target: { value: '5' } });
    expect(within(form).queryByRole('alert')).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: 'Undo changes' }));
    expect((within(form).getByRole('spinbutton', { name: 'Seed' }) as HTMLInputElement).value).toBe('4');
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
