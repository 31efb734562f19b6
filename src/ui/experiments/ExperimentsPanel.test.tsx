// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSweep, seedExperiment, toCsv } from '../../sim/experiment';
import { articleForm } from '../../store/experimentForm';
import { ExperimentStoreContext } from '../../store/experimentContext';
import type { ExperimentStore } from '../../store/experimentStore';
import { inProcessExperiments } from '../../store/sweepTestkit';
import { ExperimentsView } from './ExperimentsView';

/** Stores made by this file's tests; each is disposed after its test, as the page disposes its own on a reload. */
const stores: ExperimentStore[] = [];

function renderPanel(store: ExperimentStore) {
  stores.push(store);
  render(
    <ExperimentStoreContext.Provider value={store}>
      <ExperimentsView active />
    </ExperimentStoreContext.Provider>,
  );
}

async function untilSettled(store: ExperimentStore) {
  await act(async () => {
    while (store.getState().run?.status === 'running') await new Promise((r) => setTimeout(r, 5));
  });
}

const smallForm = () => ({ ...articleForm(2), mode: 'pbft' as const, trials: '3' });

afterEach(() => {
  cleanup();
  for (const store of stores.splice(0)) store.getState().actions.dispose();
  vi.restoreAllMocks();
});

describe('<ExperimentsPanel>', () => {
  it('every control has a label; the progress bar starts at 0', () => {
    renderPanel(inProcessExperiments({ form: articleForm(2) }));
    for (const name of ['n (replicas)', 'm values', 'Trials per m', 'Requests per trial', 'Trial timeout', 'Seed', 'Min delay', 'Max delay', 'Drop rate', 'Reorder rate', 'Worker threads']) {
      expect(screen.getByLabelText(name)).toBeTruthy();
    }
    expect(screen.getByLabelText('Malicious behaviour')).toHaveProperty('value', 'seed');
    expect(screen.getByLabelText('Which replicas lie')).toHaveProperty('value', 'random');
    expect(screen.getByRole('radio', { name: /^Both/ })).toHaveProperty('checked', true);
    expect(screen.getByRole('progressbar', { name: 'Sweep progress' }).getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByText('What do these mean?')).toBeTruthy();
  });

  it('shows a field’s message as it is typed, and all of them when Run is pressed', () => {
    const store = inProcessExperiments({ form: articleForm(2) });
    renderPanel(store);
    const n = screen.getByLabelText('n (replicas)');
    fireEvent.change(n, { target: { value: '4' } });
    // m = 5, 7 are now beyond n, but m was not touched: no message yet.
    expect(screen.queryByText(/is more than n = 4/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Min delay'), { target: { value: '50' } });
    expect(screen.getByText('Min delay (50 ms) must not exceed max delay (35 ms).')).toBeTruthy();
    expect(screen.getByLabelText('Min delay').getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(store.getState().run).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(/^2 settings need fixing/);
    expect(screen.getByText('m = 5 is more than n = 4: there are only 4 replicas to corrupt.')).toBeTruthy();
    // The keyboard is taken to the first field to fix.
    expect(document.activeElement).toBe(screen.getByLabelText('m values'));
    expect(screen.getByLabelText('m values').getAttribute('aria-describedby')).toContain(
      screen.getByText('m = 5 is more than n = 4: there are only 4 replicas to corrupt.').closest('p')!.id,
    );
  });

  it('runs, fills the progress bar, draws one named point per m, and exports the CSV', async () => {
    const store = inProcessExperiments({ form: smallForm() });
    renderPanel(store);
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await untilSettled(store);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByRole('status').textContent).toBe('Done: 12 of 12 trials.');
    const expected = runSweep(seedExperiment({ trials: 3 }));
    const chart = screen.getByRole('group', { name: 'Success rate against m' });
    const points = within(chart).getAllByRole('link', { name: /succeeded \(PBFT\)$/ });
    expect(points).toHaveLength(4);
    expect(points.map((p) => p.getAttribute('aria-label'))).toEqual(expected.rows.map((r) => `m = ${r.m}: ${r.successes} of 3 succeeded (PBFT)`));
    // The fooled series beside it: one point per m, and a column in the table.
    const fooled = within(chart).getAllByRole('link', { name: /client fooled/ });
    expect(fooled.map((p) => p.getAttribute('aria-label'))).toEqual(expected.rows.map((r) => `m = ${r.m}: client fooled in ${r.fooled} of 3 (PBFT)`));
    expect(screen.getByRole('columnheader', { name: /Client fooled/ })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Chart legend' }).textContent).toContain('PBFT: client fooled');
    // The article's numbers sit beside ours (n = 10), not as links.
    expect(within(chart).getByRole('img', { name: 'm = 3: 5 of 6 succeeded (seed article, reported)' })).toBeTruthy();
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 4 + 4);
    expect(within(table).getByText('~0.27 s real')).toBeTruthy();

    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:test'));
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('pbft-sweep-n10-pbft.csv');
    });
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV (PBFT)' }));
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(await blobs[0].text()).toBe(toCsv(expected.rows));
  });

  it('a worker that throws shows the error and keeps every setting', async () => {
    const store = inProcessExperiments({
      runTrial: () => {
        throw new Error('out of cheese');
      },
      form: { ...smallForm(), seed: '77', maxDelayMs: '44' },
    });
    renderPanel(store);
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await untilSettled(store);
    expect(screen.getByRole('alert').textContent).toContain('The experiment stopped: PBFT mode, m = 0, trial 1: out of cheese');
    expect(screen.getByLabelText('Seed')).toHaveProperty('value', '77');
    expect(screen.getByLabelText('Max delay')).toHaveProperty('value', '44');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('for n ≠ 3f + 1 a trial shows its command line instead of a link', async () => {
    const store = inProcessExperiments({ form: { ...smallForm(), n: '11', m: '0,4' } });
    renderPanel(store);
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await untilSettled(store);
    expect(screen.getByText(/The visualizer draws n = 3f \+ 1 replicas only/)).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Success rate against m' })).queryAllByRole('link')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /^Trial 2 at m = 4 \(PBFT\): .*Show its command line$/ }));
    const replay = screen.getByRole('region', { name: 'Replay from the command line' });
    expect(replay.textContent).toContain(`npm run sim -- --scenario '{"f":3,`);
  });
});
