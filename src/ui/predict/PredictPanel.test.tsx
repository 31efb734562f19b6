// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPredict } from '../../store/predictSlice';
import { renderLab } from '../renderLab.testkit';

const panel = () => screen.getByRole('region', { name: 'Predict' });
/** The whole App renders in jsdom here: on a busy machine a lazy chunk and its render take seconds, not the default 1 s. */
const PATIENCE = { timeout: 20_000 };

/** Turns Predict on and waits for its code (loaded the first time) and its panel. */
async function turnOn(settle: () => Promise<void>) {
  fireEvent.click(screen.getByRole('button', { name: 'Predict' }));
  await act(async () => {
    await loadPredict();
  });
  await screen.findByRole('region', { name: 'Predict' }, PATIENCE);
  await settle();
}

afterEach(cleanup);

describe('Predict mode on the page', () => {
  it('a round: the toggle, a question, an answer marked on the graph, Reveal, the verdict and the score', async () => {
    const { store, settle } = renderLab();
    await settle();
    const toggle = screen.getByRole('button', { name: 'Predict' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByRole('region', { name: 'Predict' })).toBeNull();
    await turnOn(settle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(panel().textContent).toMatch(/Nothing to predict before this phase/);

    // The client's REQUEST, then its arrival at the primary: the PRE-PREPAREs are next.
    for (let k = 0; k < 2; k++) {
      fireEvent.click(screen.getByRole('button', { name: 'Next phase' }));
      await settle();
    }
    expect(panel().textContent).toMatch(/Which replicas will send a PREPARE for request 1 \(#1\)/);
    const answer = await screen.findByRole('group', { name: /^The room’s answer on the graph/ }, PATIENCE);
    const targets = within(answer).getAllByRole('checkbox');
    expect(targets.map((t) => t.getAttribute('aria-label'))).toEqual(['Answer: replica 0', 'Answer: replica 1', 'Answer: replica 2', 'Answer: replica 3']);
    // A click on the target over a replica marks the answer, whatever the graph's Click switch says (Malicious here).
    fireEvent.click(targets[1]);
    fireEvent.keyDown(targets[2], { key: 'Enter' });
    fireEvent.keyDown(window, { key: '3' });
    await settle();
    expect(targets.slice(1).map((t) => t.getAttribute('aria-checked'))).toEqual(['true', 'true', 'true']);
    expect(store.getState().scenario.malicious).toEqual({});
    expect(panel().textContent).toMatch(/Room’s answer: Replicas 1, 2 and 3\./);

    fireEvent.click(within(panel()).getByRole('button', { name: 'Reveal' }));
    await settle();
    await settle();
    expect(panel().textContent).toMatch(/✓ Right/);
    expect(panel().textContent).toMatch(/Replica 0 is the primary: its PRE-PREPARE stands for its vote, so it sends no PREPARE\./);
    expect(panel().textContent).toMatch(/Score: 1 of 1/);
    // The answer targets give way to the verdict's marks: replica clicks are the graph's own again.
    expect(screen.queryByRole('group', { name: /^The room’s answer on the graph/ })).toBeNull();

    // Shift+→ closes the verdict and asks the next question; Q turns Predict off.
    fireEvent.keyDown(window, { key: 'ArrowRight', shiftKey: true });
    await settle();
    expect(panel().textContent).toMatch(/Which replicas will be prepared/);
    fireEvent.keyDown(window, { key: 'q' });
    await settle();
    expect(screen.queryByRole('region', { name: 'Predict' })).toBeNull();
  });

  it('a yes / no question is answered with its buttons; Reveal waits for an answer', async () => {
    const { store, settle } = renderLab();
    await settle();
    await turnOn(settle);
    for (let k = 0; k < 12 && store.getState().predict.on && !/Will the client accept/.test(panel().textContent ?? ''); k++) {
      fireEvent.click(screen.getByRole('button', { name: 'Next phase' }));
      await settle();
      await settle();
    }
    expect(panel().textContent).toMatch(/Will the client accept the result of request 1/);
    const reveal = within(panel()).getByRole('button', { name: 'Reveal' });
    expect(reveal.hasAttribute('disabled')).toBe(true);
    const choices = within(panel()).getByRole('group', { name: 'The room’s answer' });
    fireEvent.click(within(choices).getByRole('button', { name: 'No' }));
    expect(within(choices).getByRole('button', { name: 'No' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(reveal);
    await settle();
    await settle();
    expect(panel().textContent).toMatch(/✗ Not quite/);
    expect(panel().textContent).toMatch(/The room said: No\. Answer: Yes\./);
    expect(panel().textContent).toMatch(/f\+1 = 2 matching REPLYs arrived/);
  });
});
