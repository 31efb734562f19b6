import { expect, test } from '@playwright/test';
import { button, failOnConsoleErrors, open, openDrawer, setSpeedToMax, slider, stat } from './helpers';

/** The parameter table's extremes, in the page (the unit tests drive every other reader). */
test.describe('Parameters at their limits', () => {
  failOnConsoleErrors();

  test('f at its minimum (0): one replica, and a request still commits', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    const f = slider(page, 'f');
    await f.focus();
    await f.press('Home');
    await expect(f).toHaveValue('0');
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(1);
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await expect(page).toHaveURL(/f=0/);
  });

  test('a link with the watermark window and client timeout opens without a notice', async ({ page }) => {
    await open(page, '?f=0&wm=32&ct=700', 1);
    await expect(page.getByRole('status', { name: 'Notices' })).toHaveCount(0);
  });
});
