import { expect, test } from '@playwright/test';

// The production build declares a strict Content-Security-Policy, and the app runs under it without violations.
test('the app runs under its Content-Security-Policy without a single violation', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const consoleCsp: string[] = [];
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && consoleCsp.push(m.text()));
  await page.goto('./');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toContain('unsafe-eval');
  expect(policy).not.toContain("'unsafe-inline'");
  await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
  await page.getByRole('button', { name: /^Replica 1\b/ }).click();
  const speed = page.getByRole('slider', { name: 'Speed' });
  await speed.focus();
  await speed.press('End');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByLabel('Requests committed', { exact: true })).toHaveText('1', { timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Drawers' }).getByRole('button', { name: 'Scenario', exact: true }).click();
  const f = page.getByRole('slider', { name: 'f' });
  await f.focus();
  await f.press('ArrowRight');
  await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(7);
  const violations = await page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations);
  expect(violations).toEqual([]);
  expect(consoleCsp).toEqual([]);
});
