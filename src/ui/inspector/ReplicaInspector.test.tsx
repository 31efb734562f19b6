// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario } from '../../sim/scenario';
import { LabStoreContext } from '../../store/context';
import { inProcessLab } from '../../store/labTestkit';
import { ReplicaInspector } from './ReplicaInspector';

afterEach(cleanup);

describe("the inspector in the run's protocol's words", () => {
  it('Tendermint: the proposal is a PROPOSAL from its proposer, and a timer is the timeout of the step it is in', async () => {
    const lab = inProcessLab({ scenario: defaultScenario({ mode: 'tendermint', f: 1, requests: 1 }), speed: 1000 });
    render(
      <LabStoreContext.Provider value={lab.store}>
        <ReplicaInspector />
      </LabStoreContext.Provider>,
    );
    await act(() => lab.frame());
    // Until height 1's proposer (replica (1 + 0) mod 4) has proposed and another replica waits for its proposal.
    for (let k = 0; k < 20 && !lab.trace().some((e) => e.kind === 'send' && e.msg.type === 'PROPOSAL'); k++) {
      act(() => lab.actions.step());
      await act(() => lab.frame());
    }
    const proposal = lab.trace().find((e) => e.kind === 'send' && e.msg.type === 'PROPOSAL');
    expect(proposal?.kind === 'send' && proposal.msg.from).toBe(1);
    const inspector = () => screen.getByRole('region', { name: 'Inspector' });

    act(() => lab.actions.selectReplica(1));
    await act(() => lab.frame());
    expect(inspector().textContent).toContain('PROPOSAL from replica 1');
    // Its round, and its role there: height 1's proposer in round 0.
    expect(screen.getByText('Round').nextElementSibling?.textContent).toBe('0');
    expect(screen.getByText('Role').nextElementSibling?.textContent).toBe('proposer');
    // Tendermint keeps no checkpoints and no watermark window: the inspector shows none.
    expect(screen.queryByText('Stable checkpoint')).toBeNull();
    expect(screen.queryByText('Watermarks')).toBeNull();
    expect(inspector().textContent).not.toContain('PRE-PREPARE');

    const waiting = lab.trace().find((e) => e.kind === 'timer' && e.action === 'start' && e.replica !== 1);
    expect(waiting?.kind).toBe('timer');
    act(() => lab.actions.selectReplica(waiting!.kind === 'timer' ? waiting!.replica : 0));
    await act(() => lab.frame());
    expect(inspector().textContent).toMatch(/timeoutPropose: waiting for the proposer’s PROPOSAL/);
    expect(inspector().textContent).not.toMatch(/NEW-VIEW|VIEW-CHANGE/);
  });

  it('HotStuff: the proposal is the leader’s PREPARE, and the timer is the pacemaker’s view timer', async () => {
    const lab = inProcessLab({ scenario: defaultScenario({ mode: 'hotstuff', f: 1, requests: 1 }), speed: 1000 });
    render(
      <LabStoreContext.Provider value={lab.store}>
        <ReplicaInspector />
      </LabStoreContext.Provider>,
    );
    await act(() => lab.frame());
    for (let k = 0; k < 20 && !lab.trace().some((e) => e.kind === 'deliver' && e.msg.type === 'HS_PREPARE'); k++) {
      act(() => lab.actions.step());
      await act(() => lab.frame());
    }
    const got = lab.trace().find((e) => e.kind === 'deliver' && e.msg.type === 'HS_PREPARE');
    if (got?.kind !== 'deliver') throw new Error('no PREPARE delivered');
    act(() => lab.actions.selectReplica(got.msg.to));
    await act(() => lab.frame());
    const inspector = () => screen.getByRole('region', { name: 'Inspector' });
    expect(inspector().textContent).toContain(`PREPARE from replica ${got.msg.from}`);
    expect(inspector().textContent).not.toContain('PRE-PREPARE');

    const waiting = lab.trace().find((e) => e.kind === 'timer' && e.action === 'start');
    if (waiting?.kind !== 'timer') throw new Error('no timer started');
    act(() => lab.actions.selectReplica(waiting.replica));
    await act(() => lab.frame());
    const text = inspector().textContent;
    expect(text).toMatch(/view timer \(pacemaker\): waiting for a new QC/);
    expect(text).not.toContain('waiting for NEW-VIEW');
  });

  it("PBFT keeps its own words: a PRE-PREPARE from the primary, a view, backups, checkpoints and watermarks", async () => {
    const lab = inProcessLab({ scenario: defaultScenario({ f: 1, requests: 1 }), speed: 1000 });
    render(
      <LabStoreContext.Provider value={lab.store}>
        <ReplicaInspector />
      </LabStoreContext.Provider>,
    );
    await act(() => lab.frame());
    for (let k = 0; k < 20 && !lab.trace().some((e) => e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica !== 0); k++) {
      act(() => lab.actions.step());
      await act(() => lab.frame());
    }
    const backup = lab.trace().find((e) => e.kind === 'phase' && e.phase === 'pre-prepared' && e.replica !== 0);
    if (backup?.kind !== 'phase') throw new Error('no backup pre-prepared');
    act(() => lab.actions.selectReplica(backup.replica));
    await act(() => lab.frame());
    expect(screen.getByRole('region', { name: 'Inspector' }).textContent).toContain('PRE-PREPARE from replica 0');
    expect(screen.getByText('View').nextElementSibling?.textContent).toBe('0');
    expect(screen.getByText('Role').nextElementSibling?.textContent).toBe('backup');
    expect(screen.getByText('Stable checkpoint')).toBeTruthy();
    expect(screen.getByText('Watermarks')).toBeTruthy();
  });
});
