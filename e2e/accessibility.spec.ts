import { expect, test, type Page } from '@playwright/test';
import { button, eventLog, noSeriousAxeViolations, open, openDrawer, replica, stat, stepAndWait, failOnConsoleErrors, type DrawerName } from './helpers';

/** What has the focus, and whether it shows: an outline or a ring a sighted keyboard user can see. */
async function focused(page: Page): Promise<{ name: string; visible: boolean; inDialog: boolean } | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const label = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '';
    const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${label.trim().slice(0, 40)}`;
    let visible: boolean;
    if (el instanceof SVGElement) {
      // Replicas draw their own focus ring.
      const ring = el.querySelector('.focus-ring');
      visible = ring !== null && getComputedStyle(ring).visibility === 'visible';
    } else {
      const style = getComputedStyle(el);
      visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    }
    return { name, visible, inDialog: el.closest('[role="dialog"]') !== null };
  });
}

test.describe('Accessibility', () => {
  failOnConsoleErrors();

  // (The safety banner, the replay, a n = 100 run, an import error, the error views and the experiments with results
  // are checked where they are produced: classroom, robustness and experiments specs; the drawers, and a drawer over
  // the stage in presentation mode, in the stage spec; the Predict panel with a question, with a verdict, and in
  // presentation mode on a touch screen, in the predict spec.) One test per few views: an
  // audit takes seconds on a loaded machine.
  test('no serious or critical axe violations: the visualizer, idle and running', async ({ page }) => {
    await open(page);
    await noSeriousAxeViolations(page, 'the visualizer, idle');

    await button(page, 'Play').click();
    await expect(button(page, 'Pause')).toBeEnabled();
    await expect.poll(async () => Number(await stat(page, 'Messages sent').textContent())).toBeGreaterThan(3);
    await noSeriousAxeViolations(page, 'the visualizer, running');
  });

  test('no serious or critical axe violations: the inspector, the dark theme, presentation mode', async ({ page }) => {
    await open(page);
    await stepAndWait(page);
    await replica(page, 2).click({ modifiers: ['Shift'] });
    await expect(page.getByRole('region', { name: 'Inspector' }).getByText('Executed up to')).toBeVisible();
    await noSeriousAxeViolations(page, 'the inspector');

    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await noSeriousAxeViolations(page, 'the dark theme');
    await page.getByLabel('Theme').selectOption('light');

    await page.getByRole('button', { name: 'Presentation' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
    await noSeriousAxeViolations(page, 'presentation mode');
  });

  test('no serious or critical axe violations: the help overlay and the experiments tab', async ({ page }) => {
    await open(page);
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await noSeriousAxeViolations(page, 'the help overlay');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);

    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Experiments' }).click();
    await expect(page.getByRole('heading', { name: 'Experiments', level: 2 })).toBeVisible();
    await noSeriousAxeViolations(page, 'the experiments tab');
  });

  test('Tab reaches every control, each shows its focus, and nothing traps it', async ({ page }) => {
    await open(page);
    for (let i = 0; i < 3; i++) await button(page, 'Step').click();
    /** Tabs round the page once from the top, with one drawer open; the names of what took the focus. */
    const walk = async (drawer: DrawerName) => {
      await openDrawer(page, drawer);
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      const seen: string[] = [];
      const invisible: string[] = [];
      for (let k = 0; k < 120; k++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        if (!now) continue;
        if (seen.length > 0 && seen[seen.length - 1] === now.name) throw new Error(`Tab is stuck on ${now.name}`);
        if (seen.includes(now.name)) break; // wrapped around: nothing held on to the focus
        seen.push(now.name);
        if (!now.visible) invisible.push(now.name);
      }
      expect(invisible, `focused elements without a visible focus indicator (${drawer} drawer open)`).toEqual([]);
      // And the wrap-around happened well within the budget: focus went all the way round.
      expect(seen.length).toBeLessThan(120);
      return seen;
    };
    // The stage, the rail and each drawer's controls: every drawer is reached from the rail, one at a time.
    const withStatus = await walk('Status');
    // The log is one stop, not one per event.
    expect(withStatus.filter((name) => /log|option/i.test(name))).toHaveLength(1);
    const all = [...withStatus, ...(await walk('Scenario')), ...(await walk('Share'))].join('\n');
    for (const expected of [/button Play/, /timeline-scrubber/, /Replica 0/, /Replica 3/, /Event log/, /seed-input/, /select/, /Experiments/, /Export run/, /Export the graph/, /Export the space-time diagram/, /button Scenario/]) {
      expect(all).toMatch(expected);
    }
  });

  test('the event log is a listbox: arrow keys, Page Up/Down, Home and End move through the run', async ({ page }) => {
    await open(page);
    for (let i = 0; i < 6; i++) await stepAndWait(page);
    await openDrawer(page, 'Status');
    const log = eventLog(page);
    const sent = await stat(page, 'Messages sent').textContent();
    await log.focus();
    await expect(log).toBeFocused();
    const active = async () => page.locator(`[id="${await log.getAttribute('aria-activedescendant')}"]`);

    // The newest event is the current one.
    await expect(await active()).toHaveAttribute('aria-selected', 'true');
    const total = Number(await (await active()).getAttribute('aria-setsize'));
    expect(total).toBeGreaterThan(6);
    await expect(await active()).toHaveAttribute('aria-posinset', String(total));

    await page.keyboard.press('ArrowUp');
    await expect(page.getByLabel('Last step')).toContainText('Replay');
    await expect(await active()).toHaveAttribute('aria-posinset', String(total - 1));

    await page.keyboard.press('Home');
    await expect(await active()).toHaveAttribute('aria-posinset', '1');
    await expect(await active()).toContainText('Client issues request');
    await expect(stat(page, 'Messages sent')).toHaveText('0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(await active()).toHaveAttribute('aria-posinset', '3');
    await expect(stat(page, 'Messages sent')).toHaveText('1');
    // Space belongs to the list while it has focus: it does not start playing.
    await page.keyboard.press(' ');
    await expect(button(page, 'Play')).toBeEnabled();

    await page.keyboard.press('End');
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);
    await expect(await active()).toHaveAttribute('aria-posinset', String(total));
    await page.keyboard.press('PageUp');
    await expect(await active()).not.toHaveAttribute('aria-posinset', String(total));
    // Tab leaves the list.
    await page.keyboard.press('Tab');
    await expect(log).not.toBeFocused();
  });

  test('the help overlay keeps the focus while open and gives it back when it closes', async ({ page }) => {
    await open(page);
    const opener = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    const close = help.getByRole('button', { name: 'Close' });
    await expect(close).toBeFocused();
    for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Tab']) {
      await page.keyboard.press(key);
      expect((await focused(page))?.inDialog, `focus after ${key}`).toBe(true);
    }
    // The page behind cannot be reached or clicked while the dialog is open.
    await expect(button(page, 'Play')).not.toBeFocused();
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
    await expect(opener).toBeFocused();

    // Opened from the keyboard shortcut with nothing focused, it hands the focus to the help button on close.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('?');
    await expect(help).toBeVisible();
    await expect(close).toBeFocused();
    await close.click();
    await expect(help).toHaveCount(0);
    await expect(opener).toBeFocused();
  });
});
