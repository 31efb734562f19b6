import { expect, test } from '@playwright/test';

// The built site must work from any sub-path of a static host, not only from the root.
test('the production build served under a sub-path plays a round', async ({ page }) => {
  const url = process.env.E2E_SUBPATH_URL;
  expect(url, 'playwright.config.ts sets E2E_SUBPATH_URL').toBeTruthy();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  await page.goto(url!);
  await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
  const speed = page.getByRole('slider', { name: 'Speed' });
  await speed.focus();
  await speed.press('End');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByLabel('Requests committed', { exact: true })).toHaveText('1', { timeout: 20_000 });
  expect(failed).toEqual([]);
  expect(problems).toEqual([]);
});
