// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { openDrawer, renderLab } from './renderLab.testkit';

const replicaButtons = () => screen.getAllByRole('button', { name: /^Replica \d+/ });
afterEach(cleanup);

describe('<App>', () => {
  it('draws n = 3f + 1 replicas as named toggle buttons, the client, and the legend', async () => {
    const { settle } = renderLab();
    await settle();
    expect(replicaButtons()).toHaveLength(4);
    expect(screen.getByRole('button', { name: /^Replica 0, primary, idle$/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /^Client/ })).toBeTruthy();
    const legend = screen.getByRole('list', { name: 'Messages' });
    for (const label of ['REQUEST', 'PRE-PREPARE', 'PREPARE', 'COMMIT', 'REPLY', 'CHECKPOINT', 'VIEW-CHANGE', 'NEW-VIEW']) {
      expect(within(legend).getByText(label)).toBeTruthy();
    }
  });

  it('changing f redraws 7 replicas', async () => {
    const { settle } = renderLab();
    await settle();
    openDrawer('Scenario');
    fireEvent.change(screen.getByRole('slider', { name: 'f' }), { target: { value: '2' } });
    await settle();
    expect(replicaButtons()).toHaveLength(7);
    expect(screen.getByText(/2 \(n=7\)/)).toBeTruthy();
  });

  it('click and Enter toggle a replica malicious; the header warns once m > f', async () => {
    const { settle } = renderLab();
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /^Replica 1\b/ }));
    await settle();
    const r1 = screen.getByRole('button', { name: /^Replica 1\b/ });
    expect(r1.getAttribute('aria-label')).toBe('Replica 1, malicious (silent), idle');
    expect(r1.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText((_, el) => el?.tagName === 'P' && el.textContent === '1 malicious / 1 tolerated')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.keyDown(screen.getByRole('button', { name: /^Replica 2\b/ }), { key: 'Enter' });
    await settle();
    expect(screen.getByRole('button', { name: /^Replica 2\b/ }).getAttribute('aria-label')).toMatch(/malicious/);
    expect(screen.getByRole('alert').textContent).toMatch('m > f: safety is no longer guaranteed');

    fireEvent.keyDown(screen.getByRole('button', { name: /^Replica 2\b/ }), { key: ' ' });
    await settle();
    expect(screen.getByRole('button', { name: /^Replica 2\b/ }).getAttribute('aria-label')).not.toMatch(/malicious/);
  });

  it('Step puts the REQUEST on the wire, in the log and in the caption', async () => {
    const { settle } = renderLab();
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Step' }));
    await settle();
    expect(screen.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeTruthy();
    openDrawer('Status');
    expect(screen.getByRole('listbox', { name: 'Event log' }).textContent).toMatch('Client → Replica 0 REQUEST');
    expect(screen.getByLabelText('Last step').textContent).toMatch('REQUEST');
    expect(screen.getByLabelText('Messages sent').textContent).toBe('1');
  });

  it('keeps min delay ≤ max delay and shows each value beside its slider', async () => {
    const { store, settle } = renderLab();
    await settle();
    openDrawer('Scenario');
    fireEvent.change(screen.getByRole('slider', { name: 'Min delay' }), { target: { value: '80' } });
    expect(store.getState().scenario).toMatchObject({ minDelayMs: 80, maxDelayMs: 80 });
    expect((screen.getByRole('slider', { name: 'Max delay' }) as HTMLInputElement).value).toBe('80');
    expect(screen.getAllByText('80 ms')).toHaveLength(2);
    fireEvent.change(screen.getByRole('slider', { name: 'Drop rate' }), { target: { value: '25' } });
    expect(store.getState().scenario.dropRate).toBe(0.25);
    expect(screen.getByText('25 %')).toBeTruthy();
  });

  it('shows the omit and slow knobs only for those behaviours', async () => {
    const { settle } = renderLab();
    await settle();
    openDrawer('Scenario');
    expect(screen.queryByRole('slider', { name: 'Omit probability' })).toBeNull();
    fireEvent.change(screen.getByRole('combobox', { name: 'Behaviour' }), { target: { value: 'omit' } });
    expect(screen.getByRole('slider', { name: 'Omit probability' })).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Behaviour' }), { target: { value: 'slow' } });
    expect(screen.getByRole('slider', { name: 'Extra delay' })).toBeTruthy();
    expect(screen.queryByRole('slider', { name: 'Omit probability' })).toBeNull();
  });

  it('a simulation error shows a restart button instead of a blank page', async () => {
    const { store, settle } = renderLab();
    await settle();
    act(() => store.setState({ error: 'core exploded' }));
    expect(screen.getByRole('alert').textContent).toMatch('core exploded');
    fireEvent.click(screen.getByRole('button', { name: 'Restart from this scenario' }));
    await settle();
    expect(screen.queryByText(/core exploded/)).toBeNull();
    expect(replicaButtons()).toHaveLength(4);
  });

  it('keyboard shortcuts step, select and toggle, and stay quiet while typing in a field', async () => {
    const { store, settle } = renderLab();
    await settle();
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await settle();
    expect(screen.getByLabelText('Messages sent').textContent).toBe('1');
    fireEvent.keyDown(window, { key: '3' });
    fireEvent.keyDown(window, { key: 'm' });
    await settle();
    expect(store.getState().selection.replica).toBe(3);
    expect(screen.getByRole('button', { name: /^Replica 3\b/ }).getAttribute('aria-label')).toMatch(/malicious \(silent\)/);

    // Choosing replica 3 opened the inspector; the seed is in the scenario's drawer.
    expect(screen.getByRole('combobox', { name: 'Inspect' })).toBeTruthy();
    openDrawer('Scenario');
    const seed = screen.getByRole('spinbutton', { name: 'Seed' });
    fireEvent.keyDown(seed, { key: 'n' });
    fireEvent.keyDown(seed, { key: 'ArrowRight' });
    await settle();
    expect(screen.getByLabelText('Messages sent').textContent).toBe('1');

    fireEvent.keyDown(window, { key: '?' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Back and the event log travel in time without the worker', async () => {
    const { store, settle } = renderLab();
    await settle();
    for (let k = 0; k < 4; k++) fireEvent.click(screen.getByRole('button', { name: 'Step' }));
    await settle();
    const sent = screen.getByLabelText('Messages sent').textContent;
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(store.getState().following).toBe(false);
    openDrawer('Status');
    expect(screen.getByLabelText('Last step').textContent).toMatch(/^Replay/);
    fireEvent.click(screen.getByRole('option', { name: /Client → Replica 0 REQUEST/ }));
    expect(screen.getByLabelText('Messages sent').textContent).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Latest' }));
    expect(screen.getByLabelText('Messages sent').textContent).toBe(sent);
  });
});
