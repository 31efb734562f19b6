import { expect, test } from '@playwright/test';
import { failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, replicas, setSpeedToMax, stat, watchConsole } from './helpers';


test.describe('PBFT Lab', () => {
  failOnConsoleErrors();

  test('moving f from 1 to 2 redraws 3f + 1 = 7 replicas', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    const f = page.getByRole('slider', { name: 'f' });
    await expect(f).toHaveValue('1');
    await f.focus();
    await f.press('ArrowRight');
    await expect(f).toHaveValue('2');
    await expect(replicas(page)).toHaveCount(7);
    await expect(page.getByText('0 malicious / 2 tolerated', { exact: true })).toBeVisible();
  });

  test('clicking a replica marks it malicious; Enter on a focused replica toggles too', async ({ page }) => {
    await open(page);
    const r2 = page.getByRole('button', { name: /^Replica 2\b/ });
    await expect(r2).not.toHaveAccessibleName(/malicious/);
    await r2.click();
    await expect(r2).toHaveAccessibleName(/^Replica 2, malicious \(silent\)/);
    await expect(page.getByText('1 malicious / 1 tolerated', { exact: true })).toBeVisible();

    const r1 = page.getByRole('button', { name: /^Replica 1\b/ });
    await openDrawer(page, 'Scenario');
    await page.getByLabel('Behaviour', { exact: true }).selectOption('equivocate');
    await r1.focus();
    await page.keyboard.press('Enter');
    await expect(r1).toHaveAccessibleName(/malicious \(equivocate\)/);
    await page.keyboard.press('Enter');
    await expect(r1).not.toHaveAccessibleName(/malicious/);
    await page.keyboard.press(' ');
    await expect(r1).toHaveAccessibleName(/malicious/);
  });

  test('the header warns when m > f', async ({ page }) => {
    await open(page);
    const warning = page.getByText('m > f: safety is no longer guaranteed');
    await page.getByRole('button', { name: /^Replica 1\b/ }).click();
    await expect(page.getByText('1 malicious / 1 tolerated', { exact: true })).toBeVisible();
    await expect(warning).toHaveCount(0);
    await page.getByRole('button', { name: /^Replica 3\b/ }).click();
    await expect(page.getByText('2 malicious / 1 tolerated', { exact: true })).toBeVisible();
    await expect(warning).toBeVisible();
  });

  test('Step sends the client’s REQUEST: a dot is in flight and the log says so', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Status');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    await expect(page.getByRole('listbox', { name: 'Event log' })).toContainText('Client → Replica 0 REQUEST');
    await expect(page.getByLabel('Last step')).toContainText('REQUEST');
    await expect(stat(page, 'Messages sent')).toHaveText('1');

    // The next step delivers it and the primary multicasts PRE-PREPARE.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByRole('img', { name: /^PRE-PREPARE from Replica 0 to Replica \d$/ })).toHaveCount(3);
    await expect(page.getByLabel('Last step')).toContainText('Replica 0 received REQUEST from Client');
  });

  test('Play carries the request to commitment', async ({ page }) => {
    await open(page);
    await setSpeedToMax(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await expect(stat(page, 'Last latency')).toHaveText(/^\d+\.\d ms$/);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeEnabled();

    await page.getByRole('button', { name: 'New request', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(stat(page, 'Requests committed')).toHaveText('2');
  });

  test('Reset starts again from t = 0', async ({ page }) => {
    await open(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(stat(page, 'Messages sent')).toHaveText('4');
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect(stat(page, 'Messages sent')).toHaveText('0');
    await expect(stat(page, 'Virtual time')).toHaveText('0.0 ms');
  });

  test('every control has its exact accessible name', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    for (const name of ['f', 'Min delay', 'Max delay', 'Drop rate', 'Reorder rate', 'Speed']) {
      await expect(page.getByRole('slider', { name, exact: true })).toBeVisible();
    }
    for (const name of ['Play', 'Pause', 'Step', 'Reset', 'New request']) {
      await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
    }
    await expect(page.getByRole('spinbutton', { name: 'Seed', exact: true })).toHaveValue('1');
    await expect(page.getByRole('combobox', { name: 'Behaviour', exact: true })).toHaveValue('silent');
    await page.getByLabel('Behaviour', { exact: true }).selectOption('omit');
    await expect(page.getByRole('slider', { name: 'Omit probability', exact: true })).toBeVisible();
    await page.getByLabel('Behaviour', { exact: true }).selectOption('slow');
    await expect(page.getByRole('slider', { name: 'Extra delay', exact: true })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Client/ })).toBeVisible();
    await expect(page.getByRole('group', { name: /replicas and the client/ }).getByText('primary', { exact: true })).toBeVisible();
    for (const label of ['REQUEST', 'PRE-PREPARE', 'PREPARE', 'COMMIT', 'REPLY', 'CHECKPOINT', 'VIEW-CHANGE', 'NEW-VIEW']) {
      await expect(page.getByRole('list', { name: 'Messages' }).getByText(label, { exact: true })).toBeVisible();
    }
  });

  test('no serious accessibility violations, before and during a run', async ({ page }) => {
    await open(page);
    await page.getByRole('button', { name: /^Replica 3\b/ }).click();
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByRole('img', { name: /^PRE-PREPARE from/ }).first()).toBeVisible();
    await noSeriousAxeViolations(page, 'the visualizer after four steps');
  });

  test('min delay never exceeds max delay', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    const min = page.getByRole('slider', { name: 'Min delay' });
    const max = page.getByRole('slider', { name: 'Max delay' });
    await max.focus();
    await max.press('Home');
    await expect(max).toHaveValue('0');
    await expect(min).toHaveValue('0');
  });

  test('a normal run with drops and a malicious replica logs no console errors; screenshot', async ({ page }, testInfo) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    const drop = page.getByRole('slider', { name: 'Drop rate' });
    await drop.focus();
    for (let i = 0; i < 10; i++) await drop.press('ArrowRight');
    await expect(drop).toHaveValue('10');
    await page.getByRole('button', { name: /^Replica 3\b/ }).click();
    const speed = page.getByRole('slider', { name: 'Speed' });
    await speed.focus();
    await speed.press('End');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();

    // The README picture is taken in classroom.spec.ts (f = 2, with the space-time diagram).
    await page.mouse.move(0, 0);
    await page.screenshot({ path: testInfo.outputPath('main-view-drops.png') });
  });
});

test.describe('with prefers-reduced-motion', () => {
  test.use({ reducedMotion: 'reduce' });

  test('messages still move (by jumps) and the request commits', async ({ page }) => {
    const problems = watchConsole(page);
    await open(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    await setSpeedToMax(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    expect(problems).toEqual([]);
  });
});
