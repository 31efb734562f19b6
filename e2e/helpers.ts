import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

export const replicas = (page: Page) => page.getByRole('button', { name: /^Replica \d+/ });
export const replica = (page: Page, id: number) => page.getByRole('button', { name: new RegExp(`^Replica ${id}\\b`) });
export const stat = (page: Page, term: string) => page.getByLabel(term, { exact: true });
export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
export const slider = (page: Page, name: string) => page.getByRole('slider', { name, exact: true });
export const eventLog = (page: Page) => page.getByRole('listbox', { name: 'Event log' });

export type DrawerName = 'Status' | 'Scenario' | 'Inspector' | 'Lesson' | 'Share';
export const rail = (page: Page) => page.getByRole('navigation', { name: 'Drawers' });

/**
 * Opens a drawer from the rail (the stage opens alone; the status and log, the scenario's knobs, the inspector, the
 * lesson and sharing each live in one), unless it is open already.
 */
export async function openDrawer(page: Page, name: DrawerName) {
  const toggle = rail(page).getByRole('button', { name, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/**
 * Collects console errors and uncaught exceptions; `expected` lists what a test provokes on purpose (an injected
 * fault), which is then allowed — and nothing else is.
 */
export function watchConsole(page: Page, expected: RegExp[] = []): string[] {
  const problems: string[] = [];
  const keep = (text: string) => {
    if (!expected.some((re) => re.test(text))) problems.push(text);
  };
  page.on('console', (m) => {
    if (m.type() === 'error') keep(m.text());
  });
  page.on('pageerror', (e) => keep(e.message));
  return problems;
}

/**
 * Call inside a describe block: each of its tests fails if the page logged an error or threw, so "no console errors"
 * holds everywhere without every test saying it.
 */
export function failOnConsoleErrors(): void {
  let problems: string[] = [];
  test.beforeEach(({ page }) => {
    problems = watchConsole(page);
  });
  test.afterEach(() => {
    expect(problems, 'console errors').toEqual([]);
  });
}

export async function open(page: Page, query = '', count = 4) {
  await page.goto(`./${query}`);
  await expect(replicas(page)).toHaveCount(count);
}

/** A range input set from the keyboard, as a lecturer without a mouse would. */
export async function press(control: Locator, key: string, times = 1) {
  await control.focus();
  for (let k = 0; k < times; k++) await control.press(key);
}

export async function setSpeedToMax(page: Page) {
  const speed = slider(page, 'Speed');
  await press(speed, 'End');
  await expect(speed).toHaveAttribute('aria-valuetext', /5 s\/s/);
  // Give the page back its keyboard shortcuts.
  await speed.blur();
}

export async function noSeriousAxeViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

/**
 * Presses Step (or Next phase, Next request) and waits until the step has landed: each adds at least one event to the
 * scrubber's reading, so nothing is read from the page before the step it follows.
 */
export async function stepAndWait(page: Page, control: 'Step' | 'Next phase' | 'Next request' = 'Step') {
  const scrubber = page.getByRole('slider', { name: 'Time' });
  const before = await scrubber.getAttribute('aria-valuetext');
  await button(page, control).click();
  await expect(scrubber).not.toHaveAttribute('aria-valuetext', before!);
}
