// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolSweepContext } from '../../store/protocolSweepContext';
import { defaultProtocolSweepForm, planProtocolSweep, type ProtocolSweepStore } from '../../store/protocolSweepStore';
import { inProcessProtocolSweep } from '../../store/sweepTestkit';
import { protocolCsvExport } from './exports';
import { ProtocolSweepPanel } from './ProtocolSweep';

const stores: ProtocolSweepStore[] = [];
afterEach(() => {
  cleanup();
  for (const s of stores.splice(0)) s.getState().actions.dispose();
});

function renderPanel() {
  const store = inProcessProtocolSweep();
  stores.push(store);
  render(
    <ProtocolSweepContext.Provider value={store}>
      <ProtocolSweepPanel />
    </ProtocolSweepContext.Provider>,
  );
  return store;
}

describe('planProtocolSweep', () => {
  it('plans one sweep per protocol and n, silent liars with replica 0 first, n requests per trial', () => {
    const { sweeps } = planProtocolSweep({ ...defaultProtocolSweepForm(), n: '7, 4', m: '0,1', trials: '2' });
    expect(sweeps!.map((s) => `${s.mode}:${s.n}`)).toEqual(['pbft:4', 'pbft:7', 'hotstuff:4', 'hotstuff:7', 'tendermint:4', 'tendermint:7']);
    expect(sweeps![1]).toMatchObject({ mValues: [0, 1], trials: 2, behaviour: 'silent', selection: 'primary', requests: 7 });
  });

  it('offers Chained HotStuff beside the others, unticked at first, and plans its sweeps when ticked', () => {
    renderPanel();
    const box = screen.getByRole('checkbox', { name: 'Chained HotStuff' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    const { sweeps } = planProtocolSweep({ ...defaultProtocolSweepForm(), modes: ['hotstuff', 'chained-hotstuff'], n: '4', m: '0' });
    expect(sweeps!.map((s) => `${s.mode}:${s.n}`)).toEqual(['hotstuff:4', 'chained-hotstuff:4']);
  });

  it('says what is wrong with each field, and plans nothing', () => {
    const { errors, sweeps } = planProtocolSweep({ modes: [], n: '4, x', m: '0-', trials: '0', seed: '1.5' });
    expect(sweeps).toBeNull();
    expect(errors.modes).toMatch(/at least one protocol/);
    expect(errors.n).toMatch(/“x” is not a whole number/);
    expect(errors.m).toMatch(/cannot read/);
    expect(errors.trials).toMatch(/whole number from 1/);
    expect(errors.seed).toMatch(/whole number/);
    expect(planProtocolSweep({ ...defaultProtocolSweepForm(), n: '1' }).errors.n).toMatch(/tolerates no fault/);
  });
});

describe('<ProtocolSweepPanel>', () => {
  it('runs the sweep and draws messages per decision against n on log–log axes: PBFT and Tendermint bend as n², HotStuff grows as n', async () => {
    const store = renderPanel();
    fireEvent.change(screen.getByLabelText('n values'), { target: { value: '4, 7, 10' } });
    fireEvent.change(screen.getByLabelText('Trials'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run protocol sweep' }));
    await act(async () => {
      while (store.getState().run?.status === 'running') await new Promise((r) => setTimeout(r, 5));
    });
    expect(store.getState().run?.status).toBe('done');
    const chart = screen.getByRole('group', { name: /Messages per decision against n/ });
    expect(within(chart).getAllByRole('img')).toHaveLength(3);
    const slopes = within(screen.getByRole('list', { name: 'Slopes on log–log axes' })).getAllByRole('listitem');
    const slopeOf = (name: string) => Number(/slope ([\d.]+)/.exec(slopes.find((li) => li.textContent!.startsWith(name))!.textContent!)![1]);
    expect(slopeOf('PBFT')).toBeGreaterThan(1.7);
    expect(slopeOf('Tendermint')).toBeGreaterThan(1.7);
    expect(slopeOf('HotStuff')).toBeLessThan(1.3);
    expect(screen.getByRole('group', { name: /Mean latency against m \(n = 10\)/ })).toBeTruthy();
    const table = screen.getByRole('table', { name: /What a faulty leader costs/ });
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 9);
    expect(within(screen.getByRole('group', { name: 'Export the protocol sweep' })).getByRole('button', { name: 'Download CSV (every protocol, n and m)' })).toBeTruthy();
  }, 60_000);

  it("shows the round Tendermint's silent first proposer wastes, in the cost table and the CSV", async () => {
    const store = renderPanel();
    for (const name of ['PBFT', 'HotStuff']) fireEvent.click(screen.getByLabelText(name));
    fireEvent.change(screen.getByLabelText('n values'), { target: { value: '4, 7' } });
    fireEvent.change(screen.getByLabelText('m values'), { target: { value: '0, 1' } });
    fireEvent.change(screen.getByLabelText('Trials'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run protocol sweep' }));
    await act(async () => {
      while (store.getState().run?.status === 'running') await new Promise((r) => setTimeout(r, 5));
    });
    const run = store.getState().run!;
    expect(run.status).toBe('done');
    const table = screen.getByRole('table', { name: /What a faulty leader costs/ });
    const column = within(table).getAllByRole('columnheader').findIndex((th) => th.textContent === 'Extra views or rounds / trial');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(within(row).getByRole('rowheader').textContent).toBe('Tendermint');
      const extra = Number(row.children[column].textContent!.replace('+', ''));
      expect(extra).toBeGreaterThanOrEqual(1);
    }
    const [header, ...lines] = protocolCsvExport(run.results).parts.join('').trim().split('\n');
    const at = header.split(',').indexOf('view_changes_per_trial');
    const byPoint = new Map(lines.map((line) => line.split(',')).map((c) => [`${c[0]} n=${c[1]} m=${c[2]}`, Number(c[at])]));
    for (const n of [4, 7]) {
      expect(byPoint.get(`tendermint n=${n} m=0`)).toBe(0);
      expect(byPoint.get(`tendermint n=${n} m=1`)).toBeGreaterThanOrEqual(1);
    }
  }, 60_000);

  it('every control has a label', () => {
    renderPanel();
    for (const name of ['n values', 'm values', 'Trials', 'Sweep seed', 'PBFT', 'HotStuff', 'Tendermint']) expect(screen.getByLabelText(name)).toBeTruthy();
  });
});
