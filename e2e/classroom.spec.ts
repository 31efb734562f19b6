import { readFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, replica, replicas, setSpeedToMax, stat, stepAndWait, watchConsole } from './helpers';

const diagram = (page: Page) => page.getByRole('group', { name: 'Space-time diagram' });
/** Delivered arrows are named "TYPE From → To, t=send–arrival"; lost and flying ones say so instead. */
const deliveredArrows = (page: Page) => diagram(page).getByRole('img', { name: /, t=[\d.]+–[\d.]+$/ });
const allArrows = (page: Page) => diagram(page).getByRole('img');

async function snap(page: Page, testInfo: TestInfo, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

test.describe('Classroom', () => {
  failOnConsoleErrors();

  test('step forward 10 events, scrub back to the start, step again and see the same messages', async ({ page }) => {
    await open(page);
    const step = button(page, 'Step');
    const seen: string[][] = [];
    const scrubber = page.getByRole('slider', { name: 'Time' });
    for (let i = 0; i < 10; i++) {
      await stepAndWait(page);
      seen.push(await allArrows(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')));
    }
    expect(seen[9].length).toBeGreaterThan(3);
    const sentAfter10 = await stat(page, 'Messages sent').textContent();

    // Back to t = 0 with the scrubber, from the keyboard.
    await scrubber.focus();
    await scrubber.press('Home');
    await expect(stat(page, 'Virtual time')).toHaveText('0.0 ms');
    await expect(stat(page, 'Messages sent')).toHaveText('0');
    await expect(allArrows(page)).toHaveCount(0);
    await expect(page.getByLabel('Last step')).toContainText('Replay');

    for (let i = 0; i < 10; i++) {
      await step.click();
      await expect.poll(() => allArrows(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).toEqual(seen[i]);
    }
    await expect(stat(page, 'Messages sent')).toHaveText(sentAfter10!);
    await expect(page.getByRole('img', { name: /^PRE-PREPARE from Replica 0|^PREPARE from|^COMMIT from/ }).first()).toBeVisible();
  });

  test('Back steps back, the event log jumps, and Latest returns', async ({ page }) => {
    await open(page);
    for (let i = 0; i < 6; i++) await stepAndWait(page);
    const sent = await stat(page, 'Messages sent').textContent();
    await button(page, 'Back').click();
    await expect(page.getByLabel('Last step')).toContainText('Replay');
    await openDrawer(page, 'Status');
    const log = page.getByRole('listbox', { name: 'Event log' });
    // Only the rows in view are drawn: scroll to the first events.
    await log.evaluate((el) => (el.scrollTop = 0));
    await log.getByRole('option', { name: /Client → Replica 0 REQUEST/ }).click();
    await expect(stat(page, 'Messages sent')).toHaveText('1');
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    await button(page, 'Latest').click();
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);
  });

  test('the space-time diagram shows one arrow per delivered message; clicking one selects it in the graph', async ({ page }) => {
    await open(page);
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await button(page, 'Pause').click();
    const delivered = Number(await stat(page, 'Delivered').textContent());
    expect(delivered).toBe(29); // 1 REQUEST + 3 PRE-PREPARE + 9 PREPARE + 12 COMMIT + 4 REPLY
    await expect(deliveredArrows(page)).toHaveCount(delivered);
    await expect(deliveredArrows(page).filter({ hasText: /^PREPARE/ })).toHaveCount(9);
    await expect(page.getByText(`${delivered} delivered · 0 lost`)).toBeVisible();

    // Arrows cross each other, so click this one itself rather than a point on the screen.
    await diagram(page).getByRole('img', { name: /^PRE-PREPARE Replica 0 → Replica 2, t=/ }).dispatchEvent('click');
    await expect(page.getByRole('img', { name: 'Selected: PRE-PREPARE from Replica 0 to Replica 2' })).toBeVisible();
  });

  test('a lossy run draws lost messages as cut arrows and says why the client waits', async ({ page }) => {
    await open(page, '?preset=lossy-network');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('2', { timeout: 30_000 });
    await button(page, 'Pause').click();
    // A batch sent just before the pause may still land: compare the arrows with the counts read at the same moment.
    const lostArrows = diagram(page).getByRole('img', { name: /, lost at t=[\d.]+$/ });
    const drawnAndCounted = async () => [
      [await lostArrows.count(), Number(await stat(page, 'Dropped').textContent())],
      [await deliveredArrows(page).count(), Number(await stat(page, 'Delivered').textContent())],
    ];
    await expect.poll(async () => (await drawnAndCounted()).every(([drawn, counted]) => drawn === counted)).toBe(true);
    expect(Number(await stat(page, 'Dropped').textContent())).toBeGreaterThan(0);
  });

  test('open a preset link and see its scenario and its explanation', async ({ page }) => {
    await open(page, '?preset=silent-primary');
    await expect(replica(page, 0)).toHaveAccessibleName(/^Replica 0, primary, malicious \(silent\)/);
    await expect(page.getByText('1 malicious / 1 tolerated', { exact: true })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Lesson' })).toHaveValue('silent-primary');
    await expect(page.getByRole('heading', { name: 'Lesson: Silent primary → view change' })).toBeVisible();
    await expect(page.getByText(/The primary has crashed/)).toBeVisible();

    // Choosing another lesson from the menu loads it and puts it in the URL.
    await page.getByRole('combobox', { name: 'Lesson' }).selectOption('seed-experiment');
    await expect(replicas(page)).toHaveCount(10);
    await expect(page.getByText('3 malicious / 3 tolerated', { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/preset=seed-experiment/);
  });

  test('load a shared URL and get the same replicas marked malicious', async ({ page, context }) => {
    await open(page);
    await openDrawer(page, 'Scenario');
    const f = page.getByRole('slider', { name: 'f' });
    await f.focus();
    await f.press('ArrowRight');
    await expect(replicas(page)).toHaveCount(7);
    await replica(page, 2).click();
    await page.getByLabel('Behaviour', { exact: true }).selectOption('equivocate');
    await replica(page, 5).click();
    await expect(replica(page, 5)).toHaveAccessibleName(/malicious \(equivocate\)/);
    const drop = page.getByRole('slider', { name: 'Drop rate' });
    await drop.focus();
    await drop.press('ArrowRight');
    await expect(page).toHaveURL(/mal=2%3Asilent%2C5%3Aequivocate|mal=2:silent,5:equivocate/);
    const url = page.url();

    const other = await context.newPage();
    const otherProblems = watchConsole(other);
    await other.goto(url);
    await expect(replicas(other)).toHaveCount(7);
    await expect(replica(other, 2)).toHaveAccessibleName(/malicious \(silent\)/);
    await expect(replica(other, 5)).toHaveAccessibleName(/malicious \(equivocate\)/);
    for (const id of [0, 1, 3, 4, 6]) await expect(replica(other, id)).not.toHaveAccessibleName(/malicious/);
    await openDrawer(other, 'Scenario');
    await expect(other.getByRole('slider', { name: 'Drop rate' })).toHaveValue('1');
    await expect(other.getByRole('slider', { name: 'f' })).toHaveValue('2');
    expect(otherProblems).toEqual([]);
  });

  test('a garbage URL parameter shows a notice and the app still runs', async ({ page }) => {
    await open(page, '?f=banana&drop=999&mal=7:nonsense&speed=fast');
    const notices = page.getByRole('status', { name: 'Notices' });
    await expect(notices).toContainText('Ignored f: f must be a number, got “banana”');
    await expect(notices).toContainText('Ignored drop');
    await expect(notices).toContainText('Ignored speed');
    await openDrawer(page, 'Scenario');
    await expect(page.getByRole('slider', { name: 'f' })).toHaveValue('1');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    const count = await notices.getByRole('listitem').count();
    expect(count).toBe(4); // f, drop, speed and the replica that does not exist
    await page.getByRole('button', { name: 'Dismiss notice 1' }).click();
    await expect(notices.getByRole('listitem')).toHaveCount(count - 1);
  });

  test('the keyboard alone can play, pause, step and toggle a replica', async ({ page }) => {
    await open(page);
    await page.keyboard.press('ArrowRight');
    await expect(stat(page, 'Messages sent')).toHaveText('1');
    await page.keyboard.press('ArrowRight');
    await expect(stat(page, 'Messages sent')).toHaveText('4');
    await page.keyboard.press('ArrowLeft');
    await expect(stat(page, 'Messages sent')).toHaveText('1');

    await page.keyboard.press('Space');
    await expect(button(page, 'Pause')).toBeEnabled();
    await page.keyboard.press('Space');
    await expect(button(page, 'Play')).toBeEnabled();

    await page.keyboard.press('2');
    await expect(page.getByRole('combobox', { name: 'Inspect' })).toHaveValue('2');
    await expect(replica(page, 2)).toHaveAccessibleName(/inspected$/);
    await page.keyboard.press('m');
    await expect(replica(page, 2)).toHaveAccessibleName(/^Replica 2, malicious \(silent\)/);
    await page.keyboard.press('m');
    await expect(replica(page, 2)).not.toHaveAccessibleName(/malicious/);

    // Shortcuts stay quiet while typing in a field (the seed is in the scenario's drawer; choosing replica 2 opened the
    // inspector's).
    await openDrawer(page, 'Scenario');
    const seed = page.getByRole('spinbutton', { name: 'Seed' });
    await seed.focus();
    await page.keyboard.press('n');
    await expect(stat(page, 'Messages sent')).not.toHaveText('0');
    await seed.blur();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help).toContainText('Next phase');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);

    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('r');
    await expect(stat(page, 'Requests committed')).toHaveText('1');
  });

  test('silent primary: the view change completes and the request commits under the new primary', async ({ page }) => {
    await open(page);
    await replica(page, 0).click();
    await expect(replica(page, 0)).toHaveAccessibleName(/malicious \(silent\)/);
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1', { timeout: 30_000 });
    await expect(stat(page, 'View')).toHaveText('1');
    await expect(stat(page, 'Primary')).toHaveText('Replica 1');
    await expect(replica(page, 1)).toHaveAccessibleName(/^Replica 1, primary/);
    await expect(replica(page, 0)).not.toHaveAccessibleName(/primary/);
    await expect(page.getByRole('group', { name: /replicas and the client/ }).getByText('primary (v1)', { exact: true })).toBeVisible();
    await openDrawer(page, 'Status');
    const log = page.getByRole('listbox', { name: 'Event log' });
    await log.evaluate((el) => (el.scrollTop = 0));
    await button(page, 'Pause').click();
    // The view change is in the diagram: VIEW-CHANGE and NEW-VIEW arrows were delivered.
    await expect(diagram(page).getByRole('img', { name: /^VIEW-CHANGE Replica \d → Replica \d, t=/ }).first()).toBeAttached();
    await expect(diagram(page).getByRole('img', { name: /^NEW-VIEW Replica 1 → Replica \d, t=/ }).first()).toBeAttached();
  });

  test('the view-change timer is visible while a backup waits', async ({ page }) => {
    await open(page, '?preset=silent-primary');
    // The client's retransmission reaches the backups, which start their timers. Each phase must land before the
    // label is read, or the clicks run on past the timer into the view change.
    for (let i = 0; i < 12 && !(await replica(page, 1).getAttribute('aria-label'))?.includes('timer'); i++) await stepAndWait(page, 'Next phase');
    await expect(replica(page, 1)).toHaveAccessibleName(/timer fires at t=\d+/);
    await expect(page.locator('.timer-ring')).not.toHaveCount(0);
    await page.keyboard.press('1');
    await expect(page.getByRole('meter', { name: /^Timer \d+ % elapsed$/ })).toBeVisible();
  });

  test('the collude preset pauses on a safety violation; the banner names the replicas and the sequence number', async ({ page }) => {
    await open(page, '?preset=f-plus-one-traitors');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    const banner = page.getByRole('alert').filter({ hasText: 'Safety violated' });
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText(/Safety violated at #1: Replica \d and Replica \d committed different requests/);
    await expect(banner).toContainText('m = 2 malicious replicas but PBFT tolerates only f = 1');
    await expect(button(page, 'Play')).toBeEnabled();
    await expect(stat(page, 'Safety violations')).not.toHaveText('0');
    const text = (await banner.textContent()) ?? '';
    const [, a, b] = /Replica (\d) and Replica (\d)/.exec(text)!;
    for (const id of [a, b]) await expect(replica(page, Number(id))).toHaveAccessibleName(/named in the safety violation/);
  });

  test('the inspector shows votes against the quorums', async ({ page }) => {
    await open(page);
    await button(page, 'Step').click();
    await button(page, 'Next phase').click();
    await button(page, 'Next phase').click();
    await replica(page, 2).click({ modifiers: ['Shift'] });
    await expect(replica(page, 2)).not.toHaveAccessibleName(/malicious/);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await expect(inspector.getByRole('meter', { name: /^PREPARE \d of 2f = 2$/ })).toBeVisible();
    await expect(inspector.getByRole('meter', { name: /^COMMIT \d of 2f\+1 = 3$/ })).toBeVisible();
    await expect(inspector).toContainText('h = 0, H = 16');
    // And who signed what it holds: the proofs a VIEW-CHANGE would carry.
    await expect(inspector).toContainText('PRE-PREPARE from replica 0');
    await expect(inspector).toContainText(/PREPAREs signed by replicas? [0-9]/);
    await expect(inspector).toContainText('#0 (the initial state)');
  });

  test('export a run, import it back; a bad file is refused and the run is kept', async ({ page }, testInfo) => {
    await open(page);
    await replica(page, 3).click();
    for (let i = 0; i < 8; i++) await stepAndWait(page);
    const sent = await stat(page, 'Messages sent').textContent();
    await openDrawer(page, 'Share');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export run' }).click();
    const file = testInfo.outputPath('run.json');
    await (await download).saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'pbft-lab-run', version: 1 });

    await button(page, 'Reset').click();
    await expect(stat(page, 'Messages sent')).toHaveText('0');
    await page.getByLabel('Run file to import').setInputFiles(file);
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);
    await expect(replica(page, 3)).toHaveAccessibleName(/malicious/);

    await page.getByLabel('Run file to import').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"trace": "nope"}') });
    await expect(page.getByRole('alert').filter({ hasText: 'Import failed' })).toContainText('not a PBFT Lab run');
    await expect(stat(page, 'Messages sent')).toHaveText(sent!);
  });

  // Each main view in its own test: an axe audit takes seconds on a loaded machine, and together they outran a test's time.
  test('screenshots of the README view, the inspector and a replay, each with no serious accessibility violations', async ({ page }, testInfo) => {
    // f = 2, one malicious replica, mid-round, the space-time diagram beside the graph. (The README's picture is taken
    // in stage.spec.ts.)
    await open(page, '?f=2&mal=4:silent', 7);
    for (let i = 0; i < 4; i++) await button(page, 'Next phase').click();
    for (let i = 0; i < 5; i++) await stepAndWait(page);
    await expect(page.getByRole('img', { name: /^COMMIT from/ }).first()).toBeVisible();
    await noSeriousAxeViolations(page, 'the README view');
    await snap(page, testInfo, 'main-view');

    await replica(page, 1).click({ modifiers: ['Shift'] });
    await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('meter').first()).toBeVisible();
    await noSeriousAxeViolations(page, 'the inspector');
    await snap(page, testInfo, 'inspector');

    await page.getByRole('slider', { name: 'Time' }).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('PageUp');
    await expect(page.getByLabel('Last step')).toContainText('Replay');
    await noSeriousAxeViolations(page, 'a replay');
    await snap(page, testInfo, 'replay');
  });

  test('screenshots of presentation mode in the dark theme and of the shortcuts help, with no serious accessibility violations', async ({ page }, testInfo) => {
    await open(page, '?f=2&mal=4:silent', 7);
    for (let i = 0; i < 3; i++) await button(page, 'Next phase').click();
    await expect(page.getByRole('img', { name: /^PREPARE from/ }).first()).toBeVisible();
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('t');
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
    await noSeriousAxeViolations(page, 'presentation mode, dark');
    await snap(page, testInfo, 'presentation-dark');
    await page.keyboard.press('p');
    await page.keyboard.press('t');

    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await noSeriousAxeViolations(page, 'the shortcuts help');
    await snap(page, testInfo, 'help');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  });

  test('screenshot of a safety violation, with no serious accessibility violations', async ({ page }, testInfo) => {
    await open(page, '?preset=f-plus-one-traitors');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(page.getByRole('alert').filter({ hasText: 'Safety violated' })).toBeVisible({ timeout: 30_000 });
    await noSeriousAxeViolations(page, 'a safety violation');
    await snap(page, testInfo, 'safety-violation');
  });

  test('screenshot of a completed view change, with no serious accessibility violations', async ({ page }, testInfo) => {
    await open(page, '?preset=silent-primary');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1', { timeout: 30_000 });
    await button(page, 'Pause').click();
    await noSeriousAxeViolations(page, 'a view change');
    await snap(page, testInfo, 'view-change');
  });
});

test.describe('Classroom at a laptop size', () => {
  test.use({ viewport: { width: 1024, height: 700 } });
  test('the layout stacks and everything is still reachable', async ({ page }, testInfo) => {
    const problems = watchConsole(page);
    await open(page);
    await expect(diagram(page)).toBeVisible();
    await expect(button(page, 'Next request')).toBeVisible();
    await button(page, 'Next request').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await snap(page, testInfo, 'laptop');
    expect(problems).toEqual([]);
  });
});
