import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { CSV_COLUMNS, runSweep, seedExperiment, toCsv, trialScenario } from '../src/sim/experiment';
import { failOnConsoleErrors, noSeriousAxeViolations } from './helpers';

const progress = (page: Page) => page.getByRole('progressbar', { name: 'Sweep progress' });
const successPoints = (page: Page, mode: string) => page.getByRole('group', { name: 'Success rate against m' }).getByRole('link', { name: new RegExp(`^m = \\d+: \\d+ of \\d+ succeeded \\(${mode}\\)$`) });

async function openExperiments(page: Page) {
  await page.goto('./#experiments');
  await expect(page.getByRole('heading', { name: 'Experiments', level: 2 })).toBeVisible();
  // The visualizer is out of the way (and out of the accessibility tree) while Experiments is shown.
  await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(0);
}

/** A box of the settings form (the hidden visualizer has boxes with the same names: getByLabel sees hidden ones). */
const box = (page: Page, label: string) => page.getByRole('form', { name: 'Experiment settings' }).getByLabel(label, { exact: true });

async function field(page: Page, label: string, value: string) {
  const input = box(page, label);
  await input.fill(value);
  await expect(input).toHaveValue(value);
}

test.describe('Experiments panel', () => {
  failOnConsoleErrors();

  test('the tabs switch between the visualizer and the experiments, by keyboard too', async ({ page }) => {
    await page.goto('./');
    const tabs = page.getByRole('navigation', { name: 'Views' });
    await expect(tabs.getByRole('link', { name: 'Visualizer' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    await tabs.getByRole('link', { name: 'Experiments' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Experiments', level: 2 })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'Experiments' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(0);
    await page.goBack();
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
  });

  test('the article’s experiment: progress to 100 %, a named point per m, the CSV, no accessibility violations', async ({ page }, testInfo) => {
    await openExperiments(page);
    await page.getByRole('button', { name: 'Load the article’s experiment' }).click();
    await expect(box(page, 'm values')).toHaveValue('0,3,5,7');
    await expect(page.getByRole('radio', { name: /^Both/ })).toBeChecked();
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    await expect(progress(page)).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByRole('status').filter({ hasText: /^Done/ })).toHaveText('Done: 48 of 48 trials.');

    // One point per m for each protocol, named by what it shows; the article's numbers beside them.
    const pbft = runSweep(seedExperiment({ mode: 'pbft' }));
    const seed = runSweep(seedExperiment({ mode: 'seed' }));
    await expect(successPoints(page, 'PBFT')).toHaveCount(4);
    await expect(successPoints(page, 'seed mode')).toHaveCount(4);
    for (const row of pbft.rows) {
      await expect(page.getByRole('link', { name: `m = ${row.m}: ${row.successes} of 6 succeeded (PBFT)`, exact: true })).toBeVisible();
    }
    await expect(page.getByRole('img', { name: 'm = 3: 5 of 6 succeeded (seed article, reported)' })).toBeVisible();
    await expect(page.getByRole('table').getByText('~0.27 s real')).toBeVisible();

    // The CSV: a real download, exactly what the core computes in Node for the same config.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV (PBFT)' }).click()]);
    expect(download.suggestedFilename()).toBe('pbft-sweep-n10-pbft.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([0, 3, 5, 7]);
    expect(csv).toBe(toCsv(pbft.rows));
    const [seedDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV (seed mode)' }).click()]);
    expect(readFileSync(await seedDownload.path(), 'utf8')).toBe(toCsv(seed.rows));
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON (everything)' }).click()]);
    expect(json.suggestedFilename()).toBe('pbft-sweep-n10-both.json');
    expect(JSON.parse(readFileSync(await json.path(), 'utf8')).map((r: { rows: unknown }) => r.rows)).toEqual([seed.rows, pbft.rows]);

    // The panel with its results, as a test artifact; with UPDATE_SCREENSHOT=1 also the README's picture.
    // The panel scrolls under the header: make the window as tall as the panel to take it whole.
    const tall = await page.locator('.experiments').evaluate((el) => Math.ceil(el.getBoundingClientRect().top + el.scrollHeight));
    await page.setViewportSize({ width: 1280, height: tall });
    const shot = await page.screenshot();
    await page.setViewportSize({ width: 1280, height: 720 });
    mkdirSync(testInfo.outputDir, { recursive: true });
    writeFileSync(testInfo.outputPath('experiments.png'), shot);
    await testInfo.attach('experiments', { body: shot, contentType: 'image/png' });
    if (process.env.UPDATE_SCREENSHOT) writeFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'experiments.png'), shot);

    await page.getByText('What do these mean?').click();
    await expect(page.getByText(/trivially\s+true when nobody committed anything/)).toBeVisible();

    await noSeriousAxeViolations(page, 'the Experiments tab with results');
  });

  test('Cancel stops a long sweep at once; the page answers throughout and keeps the partial result', async ({ page }) => {
    await openExperiments(page);
    await field(page, 'Trials per m', '5000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(progress(page)).toHaveAttribute('aria-valuetext', /: [1-9][\d]* of 110000 trials$/);

    // While the workers are busy the page still reacts: a disclosure opens, a box takes typing, tabs switch.
    await page.getByText('What do these mean?').click();
    await expect(page.getByRole('term').filter({ hasText: 'Agreement' })).toBeVisible();
    await field(page, 'Seed', '99');
    const tabs = page.getByRole('navigation', { name: 'Views' });
    await tabs.getByRole('link', { name: 'Visualizer' }).click();
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    await tabs.getByRole('link', { name: 'Experiments' }).click();
    const workers = await box(page, 'Worker threads').inputValue();
    await expect(page.getByRole('status').filter({ hasText: /^Running/ })).toHaveText(new RegExp(`^Running 110,000 trials on ${workers} worker threads?…$`));

    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Cancelled/ })).toHaveText(/^Cancelled after [\d,]+ of 110,000 trials/);
    const stopped = (await progress(page).getAttribute('aria-valuetext'))!;
    expect(Number(/: (\d+) of/.exec(stopped)![1])).toBeLessThan(110_000);
    // The progress stays where it stopped (nothing is still running behind it).
    await page.waitForTimeout(500);
    await expect(progress(page)).toHaveAttribute('aria-valuetext', stopped);
    await expect(page.getByRole('heading', { name: 'Results (cancelled: partial)' })).toBeVisible();
    // Each row says how many of its planned trials ran.
    await expect(page.getByRole('table').getByText('(of 5000 planned)').first()).toBeVisible();

    // And the controls still work.
    await page.getByRole('button', { name: 'Load the article’s experiment' }).click();
    await expect(box(page, 'Trials per m')).toHaveValue('6');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Done/ })).toHaveText('Done: 48 of 48 trials.');
  });

  test('bad input is explained beside each field and nothing runs', async ({ page }) => {
    await openExperiments(page);
    await field(page, 'n (replicas)', '4');
    await field(page, 'm values', '0-5');
    await expect(page.getByText('m = 5 is more than n = 4: there are only 4 replicas to corrupt.')).toBeVisible();
    await expect(box(page, 'm values')).toHaveAttribute('aria-invalid', 'true');
    await field(page, 'Min delay', '80');
    await expect(page.getByText('Min delay (80 ms) must not exceed max delay (35 ms).')).toBeVisible();
    await field(page, 'Trials per m', '0');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('alert')).toHaveText('3 settings need fixing before the experiment can run (see the messages below).');
    await expect(box(page, 'm values')).toBeFocused();
    await expect(progress(page)).toHaveAttribute('aria-valuenow', '0');
    await field(page, 'm values', '0-n');
    await expect(page.getByText('m = 0, 1, …, 4 (5 values). Lists and ranges; n stands for the replica count.')).toBeVisible();
  });

  test('a client fooled by more than f liars: its own column in the table, its own series on the success chart', async ({ page, context }) => {
    await openExperiments(page);
    await page.getByRole('button', { name: 'Load the article’s experiment' }).click();
    await page.getByRole('radio', { name: /^PBFT/ }).check();
    await field(page, 'm values', '3,4');
    await field(page, 'Trials per m', '20');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Done/ })).toHaveText('Done: 40 of 40 trials.');

    // What the core says in Node for the same config: at m = 4 > f = 3 the four seed liars fool the client.
    const config = seedExperiment({ mode: 'pbft', mValues: [3, 4], trials: 20 });
    const rows = runSweep(config).rows;
    const at4 = rows.find((r) => r.m === 4)!;
    expect(at4.fooled).toBeGreaterThan(0);
    expect(at4.successes + at4.fooled).toBeLessThanOrEqual(20);

    // The table: a "Client fooled" column, the count in the row of m = 4.
    const table = page.getByRole('table');
    await expect(table.getByRole('columnheader', { name: /^Client fooled/ })).toBeVisible();
    const headers = await table.getByRole('columnheader').allTextContents();
    const column = headers.findIndex((h) => h.startsWith('Client fooled'));
    const row4 = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^4 / }) });
    await expect(row4.getByRole('cell').nth(column - 1)).toHaveText(`${at4.fooled} / 20`);
    await expect(row4.getByRole('cell').nth(column - 2)).toHaveText(`${at4.successes} / 20`);

    // The success chart: a second series, one named point per m, in the legend too; a point opens a fooled trial.
    const chart = page.getByRole('group', { name: 'Success rate against m' });
    for (const r of rows) await expect(chart.getByRole('link', { name: `m = ${r.m}: client fooled in ${r.fooled} of 20 (PBFT)`, exact: true })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Chart legend' })).toContainText('PBFT: client fooled');
    const point = chart.getByRole('link', { name: `m = 4: client fooled in ${at4.fooled} of 20 (PBFT)` });
    await expect(point).toHaveAttribute('aria-description', /^Opens trial \d+ \(failed, client fooled\) in the visualizer/);
    const [visualizer] = await Promise.all([context.waitForEvent('page'), point.click()]);
    await visualizer.waitForLoadState();
    await expect(visualizer.getByRole('button', { name: /^Replica \d+, malicious/ })).toHaveCount(4);

    // The downloads carry it: the CSV's fooled column, exactly the core's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV (PBFT)' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toBe(toCsv(rows));
    expect(csv.split('\n')[0].split(',')).toContain('fooled');
    await noSeriousAxeViolations(page, 'the Experiments tab with a fooled client');
  });

  test('clicking a point opens that exact trial in the visualizer, its liars marked', async ({ page, context }) => {
    await openExperiments(page);
    await page.getByRole('button', { name: 'Load the article’s experiment' }).click();
    await page.getByRole('radio', { name: /^PBFT/ }).check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(progress(page)).toHaveAttribute('aria-valuenow', '100');

    const point = page.getByRole('link', { name: /^m = 3: \d of 6 succeeded \(PBFT\)$/ });
    const href = (await point.getAttribute('href'))!;
    const [visualizer] = await Promise.all([context.waitForEvent('page'), point.click()]);
    await visualizer.waitForLoadState();
    const trial = Number(/Opens trial (\d+)/.exec((await point.getAttribute('aria-description'))!)![1]) - 1;
    const scenario = trialScenario(seedExperiment(), 3, trial);
    expect(new URLSearchParams(href.slice(1)).get('seed')).toBe(String(scenario.seed));

    const liars = Object.keys(scenario.malicious).map(Number);
    expect(liars).toHaveLength(3);
    await expect(visualizer.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(10);
    await expect(visualizer.getByRole('button', { name: /^Replica \d+, malicious/ })).toHaveCount(3);
    for (const id of liars) await expect(visualizer.getByRole('button', { name: new RegExp(`^Replica ${id}, malicious \\(seed\\)`) })).toBeVisible();
    // The experiment is still there in its own tab.
    await expect(successPoints(page, 'PBFT')).toHaveCount(4);
  });
});
