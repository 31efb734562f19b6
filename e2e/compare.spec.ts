import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, replicas, stepAndWait } from './helpers';

/** A counter of one protocol's column in the Compare view, as a number. */
async function counter(page: Page, protocol: string, name: string): Promise<number> {
  const text = await page.getByRole('region', { name: protocol, exact: true }).locator(`dd[data-counter="${name}"]`).innerText();
  return Number(text.replace(/[^\d.]/g, ''));
}

test.describe('Three protocols side by side', () => {
  failOnConsoleErrors();

  test('the Protocol select runs HotStuff: stepping a round shows its phases, legend and inspector', async ({ page }) => {
    await open(page, '?f=1&seed=3');
    await openDrawer(page, 'Scenario');
    await page.getByRole('combobox', { name: 'Protocol', exact: true }).selectOption('hotstuff');
    await expect(page).toHaveURL(/mode=hotstuff/);
    await expect(page.getByRole('group', { name: 'Legend' })).toContainText('vote PRE-COMMIT');
    await expect(page.getByRole('group', { name: 'Legend' })).toContainText('locked (lockedQC)');
    // Behaviours that mean nothing in HotStuff are there but not applicable.
    await expect(page.getByRole('option', { name: /forge-view-change — not applicable to HotStuff/ })).toBeDisabled();
    // A round: until the client accepts the result.
    await stepAndWait(page, 'Next request');
    const names = await replicas(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(names.some((n) => /executed/.test(n))).toBe(true);
    await expect(page.locator('.space-time .msg-hs-vote-prepare').first()).toBeAttached();
    // The inspector shows HotStuff's own state: its QCs and its lock.
    await openDrawer(page, 'Inspector');
    await page.getByRole('combobox', { name: 'Inspect', exact: true }).selectOption('1');
    await expect(page.getByLabel('HotStuff state')).toContainText('lockedQC');
    await expect(page.getByLabel('HotStuff state')).toContainText('prepareQC');
  });

  test('the Protocol select runs Chained HotStuff: its GENERIC proposals and votes, and its genericQC in the inspector', async ({ page }) => {
    await open(page, '?f=1&seed=3');
    await openDrawer(page, 'Scenario');
    await page.getByRole('combobox', { name: 'Protocol', exact: true }).selectOption('chained-hotstuff');
    await expect(page).toHaveURL(/mode=chained-hotstuff/);
    await expect(page.getByRole('group', { name: 'Legend' })).toContainText('vote GENERIC');
    await expect(page.getByRole('group', { name: 'Legend' })).toContainText('decided (three-chain)');
    // A round: until the client accepts the result (its node is decided three views later).
    await stepAndWait(page, 'Next request');
    const names = await replicas(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(names.some((n) => /executed/.test(n))).toBe(true);
    await expect(page.locator('.space-time .msg-chs-vote-generic').first()).toBeAttached();
    await openDrawer(page, 'Inspector');
    await page.getByRole('combobox', { name: 'Inspect', exact: true }).selectOption('1');
    await expect(page.getByLabel('Chained HotStuff state')).toContainText('genericQC');
    await expect(page.getByLabel('Chained HotStuff state')).toContainText('lockedQC');
  });

  test('a broken protocol in the link is said, and the rest of the link kept', async ({ page }) => {
    await open(page, '?f=2&mode=raft', 7);
    await expect(page.getByText(/Ignored mode: “raft”/)).toBeVisible();
    await openDrawer(page, 'Scenario');
    await expect(page.getByRole('combobox', { name: 'Protocol', exact: true })).toHaveValue('pbft');
  });

  test('Compare plays PBFT and HotStuff on one clock: at n = 7 PBFT sends more messages per decision', async ({ page }) => {
    await open(page, '?f=2&seed=4&req=2', 7);
    await page.getByRole('link', { name: 'Compare' }).click();
    const pbft = page.getByRole('region', { name: 'PBFT', exact: true });
    const hotstuff = page.getByRole('region', { name: 'HotStuff', exact: true });
    await expect(pbft.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(7);
    await expect(hotstuff.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(7);
    await page.getByRole('slider', { name: 'Speed', exact: true }).fill('700');
    await button(page, 'Play all').click();
    await expect.poll(async () => Math.min(await counter(page, 'PBFT', 'Decisions'), await counter(page, 'HotStuff', 'Decisions')), { timeout: 40_000 }).toBeGreaterThanOrEqual(2);
    // Both requests decided: what each sent is all a decision cost, none of it still on its way to the next one.
    await button(page, 'Pause').click();
    expect(await counter(page, 'PBFT', 'Messages / decision')).toBeGreaterThan(await counter(page, 'HotStuff', 'Messages / decision'));
    // Nothing overlaps at 1280×720: the columns sit side by side, inside the window.
    const [a, b] = [await pbft.boundingBox(), await hotstuff.boundingBox()];
    expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x + 1);
    expect(b!.x + b!.width).toBeLessThanOrEqual(1280);
    expect(Math.max(a!.y + a!.height, b!.y + b!.height)).toBeLessThanOrEqual(720);
    await noSeriousAxeViolations(page, 'the Compare view');
  });

  test('Compare changes the scenario for every column at once — n, seed, network, liars — and the address keeps it', async ({ page }) => {
    await page.goto('./?f=1&seed=3#compare');
    const column = (name: string) => page.getByRole('region', { name, exact: true });
    for (const name of ['PBFT', 'HotStuff']) await expect(column(name).getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    // The protocols compared are in the address too.
    await page.getByRole('checkbox', { name: 'Tendermint', exact: true }).check();
    await expect(page).toHaveURL(/[?&]cmp=pbft%2Chotstuff%2Ctendermint(&|#)/);
    await page.getByText('Change it', { exact: true }).click();
    const form = page.getByRole('form', { name: 'Scenario for every column' });
    await form.getByRole('combobox', { name: 'Replicas', exact: true }).selectOption('7');
    await form.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('11');
    await form.getByRole('spinbutton', { name: 'Drop rate (%)', exact: true }).fill('5');
    await form.getByRole('combobox', { name: 'New liar', exact: true }).selectOption('0');
    await form.getByRole('combobox', { name: 'Behaviour', exact: true }).selectOption('silent');
    await form.getByRole('button', { name: 'Add liar', exact: true }).click();
    await expect(form.getByRole('combobox', { name: 'Replica 0', exact: true })).toHaveValue('silent');
    await noSeriousAxeViolations(page, 'the Compare scenario form');
    await form.getByRole('button', { name: 'Run all with this scenario', exact: true }).click();
    // Every column runs the new scenario from t = 0, replica 0 silent in each.
    for (const name of ['PBFT', 'HotStuff', 'Tendermint']) {
      await expect(column(name).getByRole('button', { name: /^Replica \d+/ })).toHaveCount(7);
      await expect(column(name).getByRole('button', { name: /^Replica 0, .*malicious \(silent\)/ })).toBeVisible();
    }
    await expect(page.getByText('t = 0.0 ms')).toBeVisible();
    await expect(page.getByText(/Same scenario for all: n = 7 \(f = 2\), seed 11, delays 5–40 ms, 5 % lost, replica 0 silent/)).toBeVisible();
    // The address carries it, on the Compare route: a reload (or the link, shared) opens the same comparison.
    await expect(page).toHaveURL(/[?&]f=2(&|$)/);
    await expect(page).toHaveURL(/[?&]seed=11(&|$)/);
    await expect(page).toHaveURL(/[?&]drop=5(&|$)/);
    await expect(page).toHaveURL(/[?&]mal=0%3Asilent(&|#|$)/);
    await expect(page).toHaveURL(/[?&]cmp=pbft%2Chotstuff%2Ctendermint(&|#)/);
    await expect(page).toHaveURL(/#compare$/);
    await page.reload();
    for (const name of ['PBFT', 'HotStuff', 'Tendermint']) await expect(column(name).getByRole('button', { name: /^Replica 0, .*malicious \(silent\)/ })).toBeVisible();
    await expect(page.getByText(/Same scenario for all: n = 7 \(f = 2\), seed 11/)).toBeVisible();
    // A value it cannot use is said, and no run changes.
    const url = page.url();
    await page.getByText('Change it', { exact: true }).click();
    await form.getByRole('spinbutton', { name: 'Min delay (ms)', exact: true }).fill('90');
    await form.getByRole('button', { name: 'Run all with this scenario', exact: true }).click();
    await expect(form.getByRole('alert')).toContainText('One value needs fixing');
    await expect(form.getByText('Min delay (90 ms) must not exceed max delay (40 ms).')).toBeVisible();
    await expect(form.getByRole('spinbutton', { name: 'Min delay (ms)', exact: true })).toHaveValue('90');
    expect(page.url()).toBe(url);
    await expect(column('PBFT').getByRole('button', { name: /^Replica \d+/ })).toHaveCount(7);
  });

  test('the protocol sweep draws messages per decision against n on log–log axes', async ({ page }) => {
    await page.goto('./#experiments');
    await page.getByLabel('n values', { exact: true }).fill('4, 7, 10');
    await page.getByLabel('Trials', { exact: true }).fill('1');
    await button(page, 'Run protocol sweep').click();
    const chart = page.getByRole('group', { name: /Messages per decision against n/ });
    await expect(chart).toBeVisible({ timeout: 40_000 });
    await expect(chart.getByRole('img')).toHaveCount(3);
    await expect(page.getByRole('list', { name: 'Slopes on log–log axes' })).toContainText(/HotStuff: slope [01]\.\d+ — grows as n/);
    await expect(page.getByRole('table', { name: /What a faulty leader costs/ })).toBeVisible();
    // The CSV: a real download, a line per protocol × n × m point (3 protocols, n = 4, 7, 10, m = 0, 1).
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Download CSV (every protocol, n and m)').click()]);
    expect(download.suggestedFilename()).toBe('protocol-sweep-pbft-hotstuff-tendermint-n4-7-10.csv');
    const [header, ...lines] = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
    expect(header.startsWith('protocol,n,m,trials,')).toBe(true);
    expect(lines).toHaveLength(3 * 3 * 2);
    expect(lines[0].startsWith('pbft,4,0,1,')).toBe(true);
    await noSeriousAxeViolations(page, 'the protocol sweep');
  });
});
