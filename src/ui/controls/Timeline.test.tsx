// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { openDrawer, renderLab } from '../renderLab.testkit';

afterEach(cleanup);

/** Where a mark stands on the track, as a share of it (its style's --at). */
const place = (mark: HTMLElement) => Number(mark.closest('li')!.style.getPropertyValue('--at'));

describe('the scrubber marks a hand’s choices', () => {
  it('one tick per instant, where the choices were made, named in words; a click shows that moment', async () => {
    const { settle, store } = renderLab();
    await settle();
    expect(screen.queryByRole('list', { name: 'Your choices on the timeline' })).toBeNull();
    openDrawer('Network');
    const panel = screen.getByRole('region', { name: 'Network' });
    fireEvent.click(within(panel).getByRole('switch', { name: 'Deliver by hand' }));
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /^Step$/ }));
    await settle();
    fireEvent.click(within(panel).getByRole('button', { name: /^Deliver REQUEST client → 0/ }));
    await settle();
    fireEvent.click(within(panel).getByRole('button', { name: /^Drop PRE-PREPARE 0 → 1/ }));
    await settle();
    fireEvent.click(within(panel).getByRole('button', { name: /^Deliver all of this phase \(2\)/ }));
    await settle();
    const { run } = store.getState();
    const times = run.interventions.map((h) => h.at);
    expect(times).toHaveLength(5);

    const marks = within(screen.getByRole('list', { name: 'Your choices on the timeline' })).getAllByRole('button');
    const instants = [...new Set(times)];
    expect(marks).toHaveLength(instants.length);
    expect(instants.length).toBeLessThan(times.length);
    const scrubber = screen.getByRole('slider', { name: 'Time' }) as HTMLInputElement;
    const [min, max] = [Number(scrubber.min), Number(scrubber.max)];
    marks.forEach((mark, k) => expect(place(mark)).toBeCloseTo((instants[k] - min) / (max - min), 9));
    // A hand's delivery moves the clock on to when the message could arrive, so the next choice is made at a later instant.
    expect(marks.map((m) => m.getAttribute('aria-label'))).toEqual([
      '2 choices at t=0.0: deliver by hand on; deliver REQUEST from Client to Replica 0',
      `2 choices at t=${instants[1].toFixed(1)}: drop PRE-PREPARE v0 #1 from Replica 0 to Replica 1; deliver PRE-PREPARE v0 #1 from Replica 0 to Replica 2`,
      `1 choice at t=${instants[2].toFixed(1)}: deliver PRE-PREPARE v0 #1 from Replica 0 to Replica 3`,
    ]);
    expect(marks[1].getAttribute('title')).toBe(marks[1].getAttribute('aria-label'));

    // A click on a tick shows the moment of its choices (the past, drawn from the trace the page holds).
    fireEvent.click(marks[1]);
    expect(store.getState().viewTime).toBe(instants[1]);
    expect(store.getState().following).toBe(false);
  });
});
