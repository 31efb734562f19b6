import { useState } from 'react';
import { useLab } from '../store/context';

/**
 * A switch whose truth the worker answers (read back from the run's interventions, as Deliver by hand is): it shows
 * the click at once and the worker's answer from the moment that answer changes. Without it a click seemed to do
 * nothing for a round trip — a person clicks again, and a test that checks the box at once sees it unchanged.
 * `of` names what the switch is about (the replica of "Hold everything from replica k"): a click on another's does
 * not carry over. After a worker error the answer stands (nothing will come).
 */
export function useAnsweredSwitch(answer: boolean, of: number | string = ''): [boolean, (asked: boolean) => void] {
  const [asked, setAsked] = useState<{ value: boolean; answer: boolean; of: number | string } | null>(null);
  const failed = useLab((s) => s.error !== null);
  const waiting = asked !== null && !failed && asked.answer === answer && asked.of === of;
  return [waiting ? asked.value : answer, (value) => setAsked({ value, answer, of })];
}
