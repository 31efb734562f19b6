// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Blob as NodeBlob } from 'node:buffer';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { generate, search } from '../../sim/attack/search';
import { defaultScenario } from '../../sim/scenario';
import type { Scenario } from '../../sim/types';
import { openDrawer, renderLab as renderWith } from '../renderLab.testkit';

/** The App on the in-process core, opening on `scenario` when given. */
const renderLab = (scenario?: Scenario) => renderWith(scenario ? { scenario } : {});

afterEach(cleanup);

describe('the Network panel (deliver by hand)', () => {
  it('the switch makes messages wait; each row delivers, drops or duplicates; the filters act on what waits', async () => {
    const { settle, store } = renderLab();
    await settle();
    openDrawer('Network');
    const panel = screen.getByRole('region', { name: 'Network' });
    const toggle = within(panel).getByRole('switch', { name: 'Deliver by hand' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    fireEvent.click(toggle);
    // The click shows at once, before the worker has answered (a switch that waited for it seemed dead for a moment).
    expect((toggle as HTMLInputElement).checked).toBe(true);
    await settle();
    expect((within(panel).getByRole('switch', { name: 'Deliver by hand' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /^Step$/ }));
    await settle();
    const deliverRequest = within(panel).getByRole('button', { name: /^Deliver REQUEST client → 0/ });
    expect(within(panel).getAllByRole('row')).toHaveLength(2);
    expect(within(panel).getByRole('button', { name: /^Fire timer: Client’s retransmission timer/ })).toBeTruthy();
    fireEvent.click(deliverRequest);
    await settle();
    expect(within(panel).getAllByRole('button', { name: /^Deliver PRE-PREPARE 0 → \d/ })).toHaveLength(3);
    fireEvent.click(within(panel).getByRole('button', { name: /^Drop PRE-PREPARE 0 → 1/ }));
    await settle();
    expect(within(panel).queryByRole('button', { name: /^Deliver PRE-PREPARE 0 → 1/ })).toBeNull();
    // "Deliver all of this phase": both PRE-PREPAREs left.
    fireEvent.click(within(panel).getByRole('button', { name: /^Deliver all of this phase \(2\)/ }));
    await settle();
    expect(within(panel).queryByRole('button', { name: /^Deliver PRE-PREPARE/ })).toBeNull();
    expect(within(panel).getAllByRole('button', { name: /^Deliver PREPARE/ }).length).toBeGreaterThan(0);
    const kinds = store.getState().run.interventions.map((h) => h.intervention.kind);
    expect(kinds).toEqual(['setByHand', 'deliver', 'dropMessage', 'deliver', 'deliver']);
  });

  it('a row picked elsewhere (a dot, an arrow) is marked; hold everything from a replica is a checkbox', async () => {
    const { settle, store } = renderLab({ ...defaultScenario(), byHand: true });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /^Step$/ }));
    await settle();
    const waitingId = [...store.getState().timeline.inFlight.values()][0].id;
    act(() => store.getState().actions.pickMessage(waitingId));
    await settle();
    const panel = screen.getByRole('region', { name: 'Network' });
    expect(panel.closest('[hidden]')).toBeNull();
    const row = within(panel).getAllByRole('row').find((r) => r.getAttribute('aria-current') === 'true');
    expect(row?.textContent).toMatch(/REQUEST/);
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Replica for the filters' }), { target: { value: '2' } });
    fireEvent.click(within(panel).getByRole('checkbox', { name: 'Hold everything from replica 2' }));
    expect((within(panel).getByRole('checkbox', { name: 'Hold everything from replica 2' }) as HTMLInputElement).checked).toBe(true);
    // Another replica's box is not ticked by that click.
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Replica for the filters' }), { target: { value: '1' } });
    expect((within(panel).getByRole('checkbox', { name: 'Hold everything from replica 1' }) as HTMLInputElement).checked).toBe(false);
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Replica for the filters' }), { target: { value: '2' } });
    await settle();
    expect(store.getState().run.interventions.at(-1)?.intervention).toEqual({ kind: 'holdFrom', replica: 2, on: true });
    expect((within(panel).getByRole('checkbox', { name: 'Hold everything from replica 2' }) as HTMLInputElement).checked).toBe(true);
  });
});

describe('the Network panel’s Duplicate', () => {
  it('puts a second copy of the message in flight, and each copy is delivered on its own', async () => {
    const { settle, store } = renderLab({ ...defaultScenario(), byHand: true });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /^Step$/ }));
    await settle();
    openDrawer('Network');
    const panel = screen.getByRole('region', { name: 'Network' });
    const request = /^Deliver REQUEST client → 0/;
    expect(within(panel).getAllByRole('button', { name: request })).toHaveLength(1);
    const original = [...store.getState().timeline.inFlight.values()][0].id;
    fireEvent.click(within(panel).getByRole('button', { name: /^Duplicate REQUEST client → 0/ }));
    await settle();
    expect(within(panel).getAllByRole('button', { name: request })).toHaveLength(2);
    expect(store.getState().run.interventions.at(-1)?.intervention).toEqual({ kind: 'duplicate', msg: original });
    // The copy is a message of its own: delivering one leaves the other waiting.
    fireEvent.click(within(panel).getAllByRole('button', { name: request })[0]);
    await settle();
    expect(within(panel).getAllByRole('button', { name: request })).toHaveLength(1);
    fireEvent.click(within(panel).getByRole('button', { name: request }));
    await settle();
    expect(within(panel).queryByRole('button', { name: request })).toBeNull();
    const { run } = store.getState();
    const received = run.trace.slice(0, run.length - run.base).flatMap((e) => (e.kind === 'deliver' && e.msg.type === 'REQUEST' && e.msg.to === 0 ? [e.msg.id] : []));
    expect(received).toHaveLength(2);
    expect(received).toContain(original);
  });
});

describe('the Network panel names a twin’s second instance as the twin’s (1′), never as another replica', () => {
  it('twins of the primary: the client’s REQUEST waits for both instances; 0′’s PRE-PREPARE and timer are marked', async () => {
    // Replica 0 runs as twins; its second instance talks to replica 3 (its first to 1 and 2).
    const { settle, store } = renderLab({ ...defaultScenario({ f: 1, twins: { replicas: [0], side: [3] } }), byHand: true });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /^Step$/ }));
    await settle();
    openDrawer('Network');
    const panel = screen.getByRole('region', { name: 'Network' });
    expect(within(panel).getByRole('button', { name: /^Deliver REQUEST client → 0 \(view 0/ })).toBeTruthy();
    const toTwin = within(panel).getByRole('button', { name: /^Deliver REQUEST client → 0′ \(view 0/ });
    expect(panel.textContent).toMatch(/0′ is the second instance of replica 0 \(Twins\)/);
    fireEvent.click(toTwin);
    await settle();
    // The second instance, primary in its part, proposes to replica 3 alone: from 0′, not from 0.
    expect(within(panel).getAllByRole('button', { name: /^Deliver PRE-PREPARE 0′ → \d/ }).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Deliver PRE-PREPARE 0′ → 3 (view 0, #1)',
    ]);
    expect(within(panel).queryByRole('button', { name: /^Deliver PRE-PREPARE 0 → / })).toBeNull();
    const title = within(panel).getAllByTitle('replica 0’s twin (its second instance)');
    expect(title.length).toBeGreaterThan(0);
    // Its retransmission timer is process n + 0 = 4 to the world, and the twin's to a person; firing it fires process 4.
    const fire = within(panel).getByRole('button', { name: 'Fire timer: Replica 0’s twin’s retransmission timer (0′)' });
    expect(within(panel).queryByRole('button', { name: /Replica 4/ })).toBeNull();
    fireEvent.click(fire);
    await settle();
    expect(store.getState().run.interventions.at(-1)?.intervention).toEqual({ kind: 'fireTimer', replica: 4, timer: 'resend' });
  });
});

describe('the Find an attack panel', () => {
  it('a bad budget is refused with a message and kept; a search finds the f+1-colluder attack and opens it in the visualizer', async () => {
    const colluders: Scenario = { ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } };
    const { settle, store, sent } = renderLab(colluders);
    await settle();
    openDrawer('Attack');
    const panel = screen.getByRole('region', { name: 'Find an attack' });
    const budget = within(panel).getByRole('textbox', { name: /Budget \(schedules\)/ });
    fireEvent.change(budget, { target: { value: '12abc' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    expect(within(panel).getByRole('alert').textContent).toMatch(/not a number of schedules/);
    expect((budget as HTMLInputElement).value).toBe('12abc');
    fireEvent.change(budget, { target: { value: '500' } });
    expect(within(panel).queryByRole('alert')).toBeNull();
    fireEvent.click(within(panel).getByRole('radio', { name: 'Break agreement' }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Open in the visualizer' })).toBeTruthy(), { timeout: 20_000 });
    expect(panel.textContent).toMatch(/Attack found/);
    expect(panel.textContent).toMatch(/executed different requests/);
    fireEvent.click(within(panel).getByRole('button', { name: 'Open in the visualizer' }));
    await settle();
    const configure = sent.filter((c) => c.type === 'configure').at(-1);
    expect(configure).toMatchObject({ type: 'configure', scenario: { malicious: colluders.malicious } });
    expect(store.getState().cursor).toBe(0);
  }, 30_000);

  it('Twins: bad twins are refused with a message and kept; twins of f + 1 replicas break agreement, and the run opens on the side drawn', async () => {
    // Two requests in flight at once: a primary's twin that hears them in another order numbers them differently.
    const scenario = defaultScenario({ f: 1, requests: 2, concurrency: 2 });
    const { settle, sent } = renderLab(scenario);
    await settle();
    openDrawer('Attack');
    const panel = screen.getByRole('region', { name: 'Find an attack' });
    const twins = within(panel).getByRole('textbox', { name: 'Twins' });
    fireEvent.change(within(panel).getByRole('textbox', { name: /Budget \(schedules\)/ }), { target: { value: '100' } });
    for (const [typed, message] of [
      ['0,9', /replica 9 does not exist with n = 4/],
      ['0/3', /Give only the replicas to run as twins/],
      ['0,x', /“x” is not a replica number/],
    ] as const) {
      fireEvent.change(twins, { target: { value: typed } });
      fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
      expect(within(panel).getByRole('alert').textContent).toMatch(message);
      expect((twins as HTMLInputElement).value).toBe(typed);
      expect(twins.getAttribute('aria-invalid')).toBe('true');
    }
    expect(within(panel).queryByText(/schedules tried/)).toBeNull();
    fireEvent.change(twins, { target: { value: '0, 1' } });
    expect(within(panel).queryByRole('alert')).toBeNull();
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Open in the visualizer' })).toBeTruthy(), { timeout: 20_000 });
    expect(panel.textContent).toMatch(/executed different requests/);
    // What one search alone finds with these twins (the pool's workers change nothing), and the side it drew.
    const alone = search({ scenario, goal: 'agreement', budget: { schedules: 100 }, seed: scenario.seed, twins: [0, 1] });
    expect(alone.found).toBe(true);
    const side = alone.scenario.twins!.side;
    expect(panel.textContent).toContain(`Twins 0, 1: their second instances talked to ${side.length === 0 ? 'no replica' : `replica${side.length === 1 ? '' : 's'} ${side.join(', ')}`}`);
    fireEvent.click(within(panel).getByRole('button', { name: 'Open in the visualizer' }));
    await settle();
    const configure = sent.filter((c) => c.type === 'configure').at(-1);
    expect(configure).toMatchObject({ type: 'configure', scenario: { twins: { replicas: [0, 1], side } } });
  }, 30_000);

  it('liars that may switch behaviour: a colluder and a silent liar break agreement only when the box is ticked, and the opened run breaks it', async () => {
    // As given, one colluder cannot split the honest replicas (f = 1); the silent liar turned colluder can.
    const scenario: Scenario = { ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'silent' } } };
    // Played fast: the honest replicas split only after a view change, near t = 1 s.
    const { settle, sent, time } = renderWith({ scenario, speed: 5000 });
    await settle();
    openDrawer('Attack');
    const panel = screen.getByRole('region', { name: 'Find an attack' });
    fireEvent.change(within(panel).getByRole('textbox', { name: /Budget \(schedules\)/ }), { target: { value: '600' } });
    const liars = within(panel).getByRole('checkbox', { name: 'Liars may switch behaviour mid-run' }) as HTMLInputElement;
    expect(liars.checked).toBe(false);
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(panel).getByText('No attack found in 600 schedules.')).toBeTruthy(), { timeout: 20_000 });
    fireEvent.click(liars);
    expect(liars.checked).toBe(true);
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Open in the visualizer' })).toBeTruthy(), { timeout: 20_000 });
    expect(panel.textContent).toMatch(/executed different requests/);
    const steps = within(panel).getByRole('list', { name: 'The shrunk schedule' });
    expect(steps.textContent).toMatch(/Replica 1 lies: collude/);
    fireEvent.click(within(panel).getByRole('button', { name: 'Open in the visualizer' }));
    await settle();
    // The run opens on the liars as given, and switches replica 1 where the schedule did.
    const configure = sent.filter((c) => c.type === 'configure').at(-1);
    expect(configure).toMatchObject({ type: 'configure', scenario: { malicious: scenario.malicious } });
    expect(configure?.type === 'configure' && configure.interventions?.map((i) => i.intervention)).toContainEqual({ kind: 'setBehaviour', id: 1, behaviour: { kind: 'collude' } });
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    for (let k = 0; k < 200 && !screen.queryByText(/Safety violated/); k++) {
      time.advance(100);
      await settle();
    }
    const banner = screen.getAllByRole('alert').find((a) => a.classList.contains('safety-banner'));
    expect(banner?.textContent).toMatch(/Safety violated at #1: Replica 2 and Replica 3 committed different requests/);
    expect(banner?.textContent).toMatch(/m = 2 malicious replicas but PBFT tolerates only f = 1/);
  }, 40_000);

  it('with m ≤ f nothing is found, and the panel says in how many schedules', async () => {
    const { settle } = renderLab({ ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' } } });
    await settle();
    openDrawer('Attack');
    const panel = screen.getByRole('region', { name: 'Find an attack' });
    fireEvent.change(within(panel).getByRole('textbox', { name: /Budget \(schedules\)/ }), { target: { value: '150' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(panel).getByText('No attack found in 150 schedules.')).toBeTruthy(), { timeout: 20_000 });
  }, 30_000);

  it('a budget in seconds: the search stops when the time is up and says how many schedules it tried', async () => {
    // m ≤ f: nothing to find, so only the clock ends the search.
    const { settle } = renderLab({ ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' } } });
    await settle();
    openDrawer('Attack');
    const panel = screen.getByRole('region', { name: 'Find an attack' });
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Budget in' }), { target: { value: 'seconds' } });
    const budget = within(panel).getByRole('textbox', { name: 'Budget (seconds)' }) as HTMLInputElement;
    expect(budget.value).toBe('10');
    fireEvent.change(budget, { target: { value: '1' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    expect(within(panel).getByRole('button', { name: 'Cancel' })).toBeTruthy();
    const said = await waitFor(() => within(panel).getByText(/^No attack found in [\d,]+ schedules\.$/), { timeout: 20_000 });
    const tried = Number(/in ([\d,]+) schedules/.exec(said.textContent ?? '')![1].replace(/,/g, ''));
    expect(tried).toBeGreaterThan(0);
    expect(within(panel).getByText(new RegExp(`^${tried.toLocaleString('en')} schedules tried`))).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Search' })).toBeTruthy();
  }, 30_000);

  it('Cancel ends a search at once, and the panel says how many schedules it had tried', async () => {
    const { settle } = renderLab({ ...defaultScenario(), f: 1, malicious: { 0: { kind: 'collude' } } });
    await settle();
    openDrawer('Attack');
    const panel = screen.getByRole('region', { name: 'Find an attack' });
    // The most the budget allows: without Cancel this search would run for hours.
    fireEvent.change(within(panel).getByRole('textbox', { name: /Budget \(schedules\)/ }), { target: { value: '10000000' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(panel).getByText(/^[1-9][\d,]* schedules tried/)).toBeTruthy(), { timeout: 20_000 });
    fireEvent.click(within(panel).getByRole('button', { name: 'Cancel' }));
    const said = await waitFor(() => within(panel).getByText(/^Cancelled after [\d,]+ schedules; nothing found before\.$/));
    const tried = Number(/after ([\d,]+) schedules/.exec(said.textContent ?? '')![1].replace(/,/g, ''));
    expect(tried).toBeGreaterThan(0);
    expect(tried).toBeLessThan(10_000_000);
    expect(within(panel).getByRole('button', { name: 'Search' })).toBeTruthy();
    // Cancelled means stopped: no worker reports afterwards.
    const progress = within(panel).getByText(/schedules tried/).textContent;
    await new Promise((r) => setTimeout(r, 300));
    expect(within(panel).getByText(/schedules tried/).textContent).toBe(progress);
  }, 30_000);
});

describe('Copy link, for a run too long to be a link', () => {
  it('says so and moves the focus to Export', async () => {
    // jsdom's Blob has no stream(), which the link's compression reads; Node's is the browser's.
    vi.stubGlobal('Blob', NodeBlob);
    onTestFinished(() => void vi.unstubAllGlobals());
    const { settle, store } = renderLab();
    await settle();
    // A long run played by hand: every delivery of 80 requests in an order the search's first schedule chose.
    const scenario = defaultScenario({ f: 1, requests: 80 });
    const played = generate(scenario, 1, 0, { maxSteps: 100_000 }).steps();
    expect(played.length).toBeGreaterThan(2000);
    act(() => store.getState().actions.openSchedule(scenario, played));
    await settle();
    expect(store.getState().run.interventions).toHaveLength(played.length);
    openDrawer('Share');
    const files = screen.getByRole('group', { name: 'Share and save' });
    fireEvent.click(within(files).getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(within(files).getByRole('status').textContent).toMatch(/^This run’s [\d,]+ actions make a link of [\d,]+ characters, too long to share as a link .*Export saves the whole run as a file instead\.$/));
    expect(document.activeElement).toBe(within(files).getByRole('button', { name: 'Export run' }));
  });
});
