import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { exportRun } from '../src/sim/share';
import { longRecordedRun } from '../src/sim/testkit';
import { button, eventLog, noSeriousAxeViolations, open, openDrawer, press, replica, replicas, setSpeedToMax, slider, stat, stepAndWait, watchConsole, failOnConsoleErrors } from './helpers';

/** f = 2, replica 3 malicious, seed 42: the scenario a recovery must keep. */
async function makeScenario(page: Page) {
  await openDrawer(page, 'Scenario');
  await press(slider(page, 'f'), 'ArrowRight');
  await expect(replicas(page)).toHaveCount(7);
  await replica(page, 3).click();
  await expect(replica(page, 3)).toHaveAccessibleName(/malicious \(silent\)/);
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('42');
  await expect(page).toHaveURL(/seed=42/);
}

async function expectScenarioKept(page: Page) {
  await expect(replicas(page)).toHaveCount(7);
  await openDrawer(page, 'Scenario');
  await expect(slider(page, 'f')).toHaveValue('2');
  await expect(replica(page, 3)).toHaveAccessibleName(/malicious \(silent\)/);
  for (const id of [0, 1, 2, 4, 5, 6]) await expect(replica(page, id)).not.toHaveAccessibleName(/malicious/);
  await expect(page.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('42');
  await expect(page).toHaveURL(/seed=42/);
}

test.describe('Faults', () => {
  // These tests count and rewrite the worker script's fetches; the service worker (offline support) would answer a
  // restarted worker from its cache instead, so here it is not registered (e2e/offline.spec.ts tests it).
  test.use({ serviceWorkers: 'block' });

  test('an exception inside the worker is shown with a restart that keeps the scenario', async ({ page }) => {
    const problems = watchConsole(page, [/Injected worker fault/]);
    // The first worker the page starts is wrapped: the 10th message it receives after "play" throws, outside the
    // host's own guard, as a bug in the worker would. The restarted worker is the real one.
    let served = 0;
    await page.route('**/assets/sim.worker-*.js', async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (served++ > 0) return route.fulfill({ response, body });
      const wrapper = `{
        let handler = null;
        let count = -1;
        self.addEventListener('message', (event) => {
          if (event.data && event.data.type === 'play' && count < 0) count = 0;
          if (count >= 0 && ++count === 10) throw new Error('Injected worker fault');
          if (handler) handler.call(self, event);
        });
        Object.defineProperty(self, 'onmessage', { configurable: true, get: () => handler, set: (h) => { handler = h; } });
      }\n`;
      await route.fulfill({ response, body: wrapper + body, headers: { ...response.headers(), 'content-type': 'text/javascript' } });
    });
    await open(page);
    await makeScenario(page);
    await button(page, 'Play').click();

    const alert = page.getByRole('alert').filter({ hasText: 'The simulation stopped' });
    await expect(alert).toContainText('Injected worker fault');
    await expect(button(page, 'Play')).toBeDisabled();
    // Nothing moves behind the message: the broken worker was stopped.
    const sent = await stat(page, 'Messages sent').textContent();
    await page.waitForTimeout(300);
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);
    // The way out has the keyboard focus, and the page passes axe while it shows the error.
    const restart = alert.getByRole('button', { name: 'Restart from this scenario' });
    await expect(restart).toBeFocused();
    await noSeriousAxeViolations(page, 'the simulation error');

    await page.keyboard.press('Enter');
    await expect(alert).toHaveCount(0);
    // The new worker's script is fetched after the alert goes: wait for it rather than read the count at once.
    await expect.poll(() => served).toBe(2);
    await expectScenarioKept(page);
    await expect(stat(page, 'Messages sent')).toHaveText('0');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1', { timeout: 30_000 });
    expect(problems).toEqual([]);
  });

  test('a rendering error is caught by the error boundary; restart keeps the scenario (?fault=render)', async ({ page }) => {
    // ?fault=render is the documented test aid: the status panel throws once the run has committed a request.
    const problems = watchConsole(page, [/Injected rendering fault/, /The above error occurred/, /error boundary/i]);
    await open(page, '?fault=render');
    await makeScenario(page);
    await setSpeedToMax(page);
    await button(page, 'Play').click();

    const alert = page.getByRole('alert').filter({ hasText: 'The view failed' });
    await expect(alert).toContainText('Injected rendering fault', { timeout: 30_000 });
    // Not a white page: the header and the tabs are still there, and the way out has the focus.
    await expect(page.getByRole('heading', { name: 'PBFT Lab', level: 1 })).toBeVisible();
    await expect(page.getByText('1 malicious / 2 tolerated', { exact: true })).toBeVisible();
    const restart = alert.getByRole('button', { name: 'Restart from this scenario' });
    await expect(restart).toBeFocused();
    await noSeriousAxeViolations(page, 'the error boundary');

    await restart.click();
    await expect(alert).toHaveCount(0);
    await expectScenarioKept(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1', { timeout: 30_000 });
    await expect(page.getByRole('alert').filter({ hasText: 'The view failed' })).toHaveCount(0);
    expect(problems).toEqual([]);
  });
});

test.describe('Bad input', () => {
  failOnConsoleErrors();

  test('many garbage URL parameters at once: each is named, defaults are used, markup stays text', async ({ page }) => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const query = new URLSearchParams({
      f: '-4',
      seed: 'banana',
      min: 'NaN',
      max: '1e99',
      drop: '-5',
      reorder: ' ',
      req: '1.5',
      conc: '0',
      k: 'x',
      vct: 'Infinity',
      mode: 'evil',
      mal: '99:silent,abc,2:nonsense',
      speed: '-1',
      preset: '<img src=x onerror=alert(1)>',
    }).toString();
    await open(page, `?${query}`);
    const notices = page.getByRole('status', { name: 'Notices' });
    for (const name of ['f', 'seed', 'min', 'max', 'drop', 'reorder', 'req', 'conc', 'k', 'vct', 'mode', 'speed']) {
      await expect(notices).toContainText(`Ignored ${name}`);
    }
    await expect(notices).toContainText('replica 99 does not exist');
    await expect(notices).toContainText('“abc” is not id:behaviour');
    await expect(notices).toContainText('unknown behaviour “nonsense”');
    // The lesson name is shown as the text it is, never as markup.
    await expect(notices).toContainText('there is no lesson “<img src=x onerror=alert(1)>”');
    await expect(page.locator('img[src="x"]')).toHaveCount(0);

    // Defaults, and a run that works.
    await openDrawer(page, 'Scenario');
    await expect(slider(page, 'f')).toHaveValue('1');
    await expect(page.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('1');
    await expect(slider(page, 'Min delay')).toHaveValue('5');
    await expect(slider(page, 'Max delay')).toHaveValue('40');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    // The URL now says what is used.
    await expect(page).toHaveURL(/f=1&seed=1&min=5&max=40&drop=0/);
    expect(dialogs).toBe(0);
  });

  test('an imported file that is truncated, from a newer version, or huge is refused; the run is kept', async ({ page }, testInfo) => {
    await open(page);
    for (let i = 0; i < 6; i++) await stepAndWait(page);
    await expect(stat(page, 'Messages sent')).not.toHaveText('0');
    await openDrawer(page, 'Share');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export run' }).click();
    const good = testInfo.outputPath('run.json');
    await (await download).saveAs(good);
    const text = readFileSync(good, 'utf8');

    // Read the count only once the step has landed, so it is the count the refused imports must keep.
    await stepAndWait(page);
    const sent = await stat(page, 'Messages sent').textContent();
    const importError = page.getByRole('alert').filter({ hasText: 'Import failed' });
    const input = page.getByLabel('Run file to import');

    const truncated = testInfo.outputPath('truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    await input.setInputFiles(truncated);
    await expect(importError).toContainText('This file is not JSON (it may be truncated or not a PBFT Lab run).');
    await expect(importError).toContainText('The current run is unchanged.');
    await noSeriousAxeViolations(page, 'an import error');
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);
    await importError.getByRole('button', { name: 'Dismiss' }).click();
    await expect(importError).toHaveCount(0);

    const newer = testInfo.outputPath('newer.json');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(text), version: 99 }));
    await input.setInputFiles(newer);
    await expect(importError).toContainText('This run was saved by a newer PBFT Lab (file version 99; this app reads version 1).');
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);

    // Over the limit: refused from its size, before it is read.
    const huge = testInfo.outputPath('huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 51_000_000);
    await input.setInputFiles(huge);
    await expect(importError).toContainText('This file is 51 MB; PBFT Lab imports runs up to 50 MB.');
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);

    // And the page still works: the good file imports.
    await input.setInputFiles(good);
    await expect(importError).toHaveCount(0);
    await expect(page.getByText('Imported run.json')).toBeVisible();
    // A file's name is shown as the text it is.
    const name = '<img src=x onerror=alert(1)>.json';
    await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByText(`Imported ${name}`)).toBeVisible();
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
  });

  test('a long run file (more events than the page keeps) loads with exact counts and plays on', async ({ page }, testInfo) => {
    // Recorded by the core itself, as an export of a long lecture would be: 120,000 events at n = 10.
    const { scenario, sim } = longRecordedRun(120_000);
    const file = testInfo.outputPath('long-run.json');
    writeFileSync(file, exportRun(scenario, [], sim.trace));

    await open(page);
    await openDrawer(page, 'Share');
    await page.getByLabel('Run file to import').setInputFiles(file);
    await expect(page.getByText('Imported long-run.json')).toBeVisible({ timeout: 60_000 });
    await expect(replicas(page)).toHaveCount(10);
    await expect(stat(page, 'Messages sent')).toHaveText(String(sim.stats().sentTotal));
    await expect(stat(page, 'Requests committed')).toHaveText(String(sim.stats().committed));
    await expect(slider(page, 'Time')).toHaveAttribute('aria-valuetext', new RegExp(`event ${sim.trace.length} of ${sim.trace.length}; history before t = [\\d.]+ ms compacted`));
    await expect(page.getByText(/differs from what this version/)).toHaveCount(0);
    // And it goes on from where the file ended (how long loading takes is measured by `npm run bench`, not here).
    await button(page, 'Step').click();
    await expect
      .poll(async () => Number((await slider(page, 'Time').getAttribute('aria-valuetext'))?.match(/event (\d+) of/)?.[1]))
      .toBeGreaterThan(sim.trace.length);
  });

  test('drop rate 100 %: nothing commits and the page says why', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    await press(slider(page, 'Drop rate'), 'End');
    await expect(slider(page, 'Drop rate')).toHaveValue('100');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await openDrawer(page, 'Status');
    await expect(page.getByText('every message is lost (drop rate 100 %)')).toBeVisible();
    await expect.poll(async () => Number(await stat(page, 'Dropped').textContent())).toBeGreaterThan(10);
    await expect(stat(page, 'Delivered')).toHaveText('0');
    await expect(stat(page, 'Requests committed')).toHaveText('0');
  });

  test('delay 0: messages arrive the moment they are sent, and the request commits', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    await press(slider(page, 'Max delay'), 'Home');
    await expect(slider(page, 'Min delay')).toHaveValue('0');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await button(page, 'Pause').click();
    const labels = await page
      .getByRole('group', { name: 'Space-time diagram' })
      .getByRole('img', { name: /, t=[\d.]+–[\d.]+$/ })
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels).toHaveLength(29);
    for (const label of labels) {
      const [, sentAt, arrived] = /t=([\d.]+)–([\d.]+)$/.exec(label)!;
      expect(arrived).toBe(sentAt);
    }
  });

  test('f at its maximum: 100 replicas render and play; crowds are thinned, and the page says so', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    await press(slider(page, 'f'), 'End');
    await expect(slider(page, 'f')).toHaveValue('33');
    await expect(replicas(page)).toHaveCount(100);
    await expect(page.getByText('n = 100', { exact: true })).toBeVisible();
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1', { timeout: 60_000 });
    await button(page, 'Pause').click();
    // Every message is counted, the crowd in the diagram drawn as a sample — and the page says which.
    const summary = page.locator('.diagram-summary');
    await expect(summary).toContainText(/Showing 1 in \d+ PREPARE/);
    await expect(summary).toContainText('the counts are exact');
    // Read both at one moment (a batch sent just before the pause may still land between two reads).
    const summedAndSent = async () => {
      const [delivered, lost, flying] = (await summary.textContent())!.match(/\d+/g)!.map(Number);
      return { summed: delivered + lost + flying, sent: Number(await stat(page, 'Messages sent').textContent()) };
    };
    await expect.poll(async () => { const r = await summedAndSent(); return r.summed === r.sent; }).toBe(true);
    expect((await summedAndSent()).sent).toBeGreaterThan(19_000);
    await expect(page.getByRole('img', { name: /^\d+ messages as arrows between 100 replicas and the client/ })).toBeVisible();
    await noSeriousAxeViolations(page, 'n = 100');
  });

  test('a long run at n = 100 compacts its oldest history and says so; counts stay exact', async ({ page }) => {
    await open(page, '?f=33&speed=5000', 100);
    // Four requests at n = 100 are about 160,000 events: more than the page keeps (100,000).
    for (let k = 0; k < 3; k++) await button(page, 'New request').click();
    await button(page, 'Play').click();
    const note = page.getByText(/was compacted to keep memory bounded/).first();
    await expect(note).toBeVisible({ timeout: 90_000 });
    await expect(stat(page, 'Requests committed')).toHaveText('4', { timeout: 90_000 });
    await button(page, 'Pause').click();
    const scrubber = slider(page, 'Time');
    await expect(scrubber).toHaveAttribute('aria-valuetext', /history before t = [\d.]+ ms compacted/);
    await expect(page.locator('.timeline-compacted')).toContainText(/The scrubber starts at t = [\d.]+ ms/);
    const sent = Number(await stat(page, 'Messages sent').textContent());
    expect(sent).toBeGreaterThan(75_000);
    // The oldest moment kept is drawn with its exact counts (not from zero).
    await press(scrubber, 'Home');
    await expect(page.getByLabel('Last step')).toContainText('Replay');
    const oldest = Number(await stat(page, 'Messages sent').textContent());
    expect(oldest).toBeGreaterThan(0);
    expect(oldest).toBeLessThan(sent);
    await openDrawer(page, 'Status');
    await expect(eventLog(page).getByRole('option').first()).toBeVisible();
    await button(page, 'Latest').click();
    await expect(stat(page, 'Messages sent')).toHaveText(String(sent));
  });

  test('rapid slider changes while playing: no errors, and the run ends up with the last values', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    const speed = slider(page, 'Speed');
    await press(speed, 'End');
    for (let k = 0; k < 20; k++) await speed.press('ArrowLeft');
    await button(page, 'Play').click();
    const f = slider(page, 'f');
    const min = slider(page, 'Min delay');
    const max = slider(page, 'Max delay');
    const drop = slider(page, 'Drop rate');
    // Jiggle everything, as fast as keys can be pressed, while the run plays.
    for (let round = 0; round < 6; round++) {
      await f.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
      await max.focus();
      await page.keyboard.press('PageUp');
      await page.keyboard.press('ArrowLeft');
      await min.focus();
      await page.keyboard.press('PageUp');
      await page.keyboard.press('ArrowRight');
      await drop.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
    }
    // The last values: delays 20–30 ms, no loss, then f = 2 (a fresh run that starts from all of them), then f = 1.
    await min.fill('20');
    await max.fill('30');
    await drop.fill('0');
    await f.fill('2');
    await expect(f).toHaveValue('2');
    await expect(min).toHaveValue('20');
    await expect(max).toHaveValue('30');
    await expect(replicas(page)).toHaveCount(7);
    await expect(page).toHaveURL(/f=2&seed=1&min=20&max=30&drop=0/);
    await expect(button(page, 'Pause')).toBeEnabled();
    // It keeps playing, in the new run.
    await expect.poll(async () => Number(await stat(page, 'Messages sent').textContent())).toBeGreaterThan(20);
    // From n = 7 the diagram paints its arrows; at n = 4 (a fresh run with the same delays and loss) each arrow is an
    // element named with its times, which the delays can be read from.
    await f.fill('1');
    await expect(replicas(page)).toHaveCount(4);
    await expect(page).toHaveURL(/seed=1&min=20&max=30&drop=0/);
    await expect.poll(async () => Number(await stat(page, 'Messages sent').textContent())).toBeGreaterThan(20);
    await button(page, 'Pause').click();
    const labels = await page
      .getByRole('group', { name: 'Space-time diagram' })
      .getByRole('img', { name: /, t=[\d.]+–[\d.]+$/ })
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels.length).toBeGreaterThan(5);
    for (const label of labels) {
      const [, sentAt, arrived] = /t=([\d.]+)–([\d.]+)$/.exec(label)!.map(Number);
      expect(arrived - sentAt).toBeGreaterThanOrEqual(20 - 0.11);
      expect(arrived - sentAt).toBeLessThanOrEqual(30 + 0.11);
    }
    await expect(stat(page, 'Dropped')).toHaveText('0');
    // The log is the new run's: it starts with the client's first request.
    await openDrawer(page, 'Status');
    await eventLog(page).evaluate((el) => (el.scrollTop = 0));
    await expect(eventLog(page).getByRole('option').first()).toContainText('Client issues request');
  });
});
