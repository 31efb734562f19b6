import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, rail, replica, stat, stepAndWait, type DrawerName } from './helpers';

/** The regions of the page, by role and name: the stage's parts, the rail, and a drawer when one is open. */
const REGIONS = {
  header: (page: Page) => page.getByRole('banner'),
  playback: (page: Page) => page.getByRole('toolbar', { name: 'Playback' }),
  time: (page: Page) => page.locator('.time-row'),
  caption: (page: Page) => page.getByRole('status', { name: 'Last step' }),
  graph: (page: Page) => page.getByRole('region', { name: 'Replicas' }),
  diagram: (page: Page) => page.getByRole('region', { name: 'Space-time' }),
  legend: (page: Page) => page.getByRole('group', { name: 'Legend' }),
  rail: (page: Page) => rail(page),
  drawer: (page: Page) => page.getByRole('complementary'),
} as const;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const inside = (inner: Box, outer: Box, slack = 1) =>
  inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;

/** The boxes of the regions shown (the drawer only when open). */
async function regionBoxes(page: Page): Promise<Record<string, Box>> {
  const boxes: Record<string, Box> = {};
  for (const [name, locate] of Object.entries(REGIONS)) {
    const region = locate(page);
    if ((await region.count()) === 0 || !(await region.isVisible())) continue;
    const box = await region.boundingBox();
    if (box) boxes[name] = box;
  }
  return boxes;
}

/**
 * Nothing overlaps, nothing is cut off: the regions lie apart and inside the viewport, the page does not scroll, no
 * region's content overflows it, every control of the playback bar, the header and the rail lies inside its region,
 * and every replica, the client and every lifeline's label lie inside their view.
 */
async function expectTidy(page: Page, what: string) {
  const { width: vw, height: vh } = page.viewportSize()!;
  const viewport = { x: 0, y: 0, width: vw, height: vh };
  const boxes = await regionBoxes(page);
  for (const name of ['header', 'playback', 'time', 'caption', 'graph', 'diagram', 'legend', 'rail']) expect(boxes[name], `${what}: ${name} is shown`).toBeTruthy();
  const names = Object.keys(boxes);
  for (const name of names) expect(inside(boxes[name], viewport), `${what}: ${name} ${JSON.stringify(boxes[name])} lies inside the viewport`).toBe(true);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      expect(overlap(boxes[names[i]], boxes[names[j]]), `${what}: ${names[i]} and ${names[j]} overlap`).toBeLessThan(1);
    }
  }
  const page_ = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    clipped: [...document.querySelectorAll<HTMLElement>('.app-header, .playback, .time-row, .narration, .view, .legend, .rail')]
      .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className} ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`),
  }));
  expect(page_.scrollWidth, `${what}: the page does not scroll sideways`).toBeLessThanOrEqual(vw);
  expect(page_.scrollHeight, `${what}: the page does not scroll down`).toBeLessThanOrEqual(vh);
  expect(page_.clipped, `${what}: regions whose content overflows them`).toEqual([]);

  const controls: Array<[string, Box]> = [];
  for (const [region, selector] of [
    ['playback', 'button'],
    ['header', 'button, select, a'],
    ['rail', 'button'],
    ['time', 'input, button'],
  ] as const) {
    for (const control of await REGIONS[region](page).locator(selector).all()) {
      if (!(await control.isVisible())) continue;
      const box = (await control.boundingBox())!;
      expect(inside(box, boxes[region]), `${what}: a control of ${region} lies inside it`).toBe(true);
      controls.push([region, box]);
    }
  }
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) expect(overlap(controls[i][1], controls[j][1]), `${what}: two ${controls[i][0]} controls overlap`).toBeLessThan(1);
  }
  const graphFrame = (await page.locator('.graph-frame').boundingBox())!;
  for (const node of await page.locator('.replica-body, .client rect').all()) expect(inside((await node.boundingBox())!, graphFrame), `${what}: a node lies inside the graph`).toBe(true);
  const diagramFrame = (await page.locator('.diagram-frame').boundingBox())!;
  for (const label of await page.locator('.lane-label').all()) expect(inside((await label.boundingBox())!, diagramFrame), `${what}: a lifeline label lies inside the diagram`).toBe(true);
}

/** The drawing surfaces of the two pictures: the graph's SVG (its canvas of messages lies under it, the same size) and the diagram's. */
async function drawings(page: Page): Promise<{ graph: Box; diagram: Box }> {
  const graph = (await page.locator('.graph-frame svg.graph').boundingBox())!;
  const diagram = (await page.locator('.diagram-frame svg.space-time').boundingBox())!;
  return { graph, diagram };
}

test.describe('The stage', () => {
  failOnConsoleErrors();

  test('no region overlaps another and nothing is cut off at 1024×640, 1280×720, 1920×1080 and 3840×2160 (and a tablet), in both themes', async ({ page }) => {
    test.setTimeout(180_000);
    for (const [width, height] of [
      [1024, 640],
      [1280, 720],
      [1920, 1080],
      [3840, 2160],
      [768, 1024],
    ]) {
      await page.setViewportSize({ width, height });
      await open(page);
      for (let i = 0; i < 3; i++) await stepAndWait(page, 'Next phase');
      for (const theme of ['light', 'dark'] as const) {
        await page.getByLabel('Theme').selectOption(theme);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        // The drawers start closed: the stage alone.
        await expect(page.getByRole('complementary')).toBeHidden();
        await expectTidy(page, `${width}×${height}, ${theme}`);
      }
      if (width >= 1200) {
        // A wide screen opens a drawer beside the stage: the stage narrows, nothing is covered.
        await openDrawer(page, 'Status');
        await expect(page.locator('html')).toHaveAttribute('data-dock', 'beside');
        await expectTidy(page, `${width}×${height} with the status drawer beside the stage`);
        await openDrawer(page, 'Scenario');
        await expectTidy(page, `${width}×${height} with the scenario drawer beside the stage`);
      } else {
        await expect(page.locator('html')).toHaveAttribute('data-dock', 'over');
      }
    }
  });

  test('presentation mode at 1280×720: the graph’s and the diagram’s drawings cover at least 60 % of the viewport, a replica is at least 80 px across', async ({ page }) => {
    await open(page);
    await openDrawer(page, 'Status');
    for (let i = 0; i < 3; i++) await stepAndWait(page, 'Next phase');
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
    // Presentation is the picture for the room: the drawer closed, and opens over the stage when asked for.
    await expect(page.getByRole('complementary')).toBeHidden();
    await expect(page.locator('html')).toHaveAttribute('data-dock', 'over');
    const { graph, diagram } = await drawings(page);
    expect(overlap(graph, diagram)).toBe(0);
    const share = (graph.width * graph.height + diagram.width * diagram.height) / (1280 * 720);
    expect(share, 'the two drawings together (no toolbars, headings, caption or legend), of the viewport').toBeGreaterThanOrEqual(0.6);
    for (const body of await page.locator('.replica-body').all()) expect((await body.boundingBox())!.width, 'a replica across, px').toBeGreaterThanOrEqual(80);
    await expectTidy(page, 'presentation mode, 1280×720');
    // Leaving presentation mode gives the normal layout back.
    await page.keyboard.press('p');
    await expect(page.locator('html')).not.toHaveAttribute('data-presentation', 'on');
    await expect(page.locator('html')).toHaveAttribute('data-dock', 'beside');
  });

  test('presentation mode keeps the pictures still from step to step: a long explanation is set smaller, not pushed under them', async ({ page }) => {
    await open(page, '?preset=equivocating-primary');
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
    await stepAndWait(page);
    const still = await drawings(page);
    const full = await page.locator('.explanation').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    let fitted = 0;
    for (let i = 0; i < 15; i++) {
      await stepAndWait(page);
      const text = page.locator('.explanation');
      if ((await text.count()) === 0) continue;
      const { size, clipped } = await page.locator('.narration').evaluate((n) => ({
        size: parseFloat(getComputedStyle(n.querySelector('.explanation')!).fontSize),
        clipped: n.scrollHeight > n.clientHeight + 1,
      }));
      expect(clipped, `step ${i}: the narration shows all it says`).toBe(false);
      // Above the smallest type the fitting allows, the explanation fits the narration's one height: nothing moved.
      if (size > full * 0.75 + 0.5) expect(await drawings(page), `step ${i}: the pictures stay where they were`).toEqual(still);
      if (size < full - 0.5) fitted++;
    }
    expect(fitted, 'steps whose explanation was set smaller to fit').toBeGreaterThan(0);
  });

  test('drawers open from the rail: beside a wide stage, over a narrow one; Esc or Close shuts them and the focus goes back', async ({ page }) => {
    await open(page);
    const stage = page.getByRole('region', { name: 'Protocol' });
    const wide = (await stage.boundingBox())!;
    await openDrawer(page, 'Scenario');
    const drawer = page.getByRole('complementary', { name: 'Scenario drawer' });
    await expect(drawer).toBeVisible();
    // Beside: the stage narrowed and nothing lies over it.
    const narrowed = (await stage.boundingBox())!;
    expect(narrowed.width).toBeLessThan(wide.width);
    expect(overlap(narrowed, (await drawer.boundingBox())!)).toBe(0);
    // Another drawer replaces it; its button again closes it.
    await openDrawer(page, 'Share');
    await expect(page.getByRole('complementary', { name: 'Share drawer' })).toBeVisible();
    await expect(drawer).toBeHidden();
    await rail(page).getByRole('button', { name: 'Share', exact: true }).click();
    await expect(page.getByRole('complementary')).toBeHidden();

    // Narrow: a drawer opened lies over the stage's right side (the graph stays free), and Esc closes it.
    await page.setViewportSize({ width: 1024, height: 640 });
    await expect(page.locator('html')).toHaveAttribute('data-dock', 'over');
    await openDrawer(page, 'Scenario');
    const over = (await drawer.boundingBox())!;
    expect(overlap(over, (await stage.boundingBox())!)).toBeGreaterThan(0);
    expect(overlap(over, (await replica(page, 0).boundingBox())!)).toBe(0);
    await page.getByRole('slider', { name: 'f' }).focus();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('complementary')).toBeHidden();
    await expect(rail(page).getByRole('button', { name: 'Scenario', exact: true })).toBeFocused();
    await openDrawer(page, 'Status');
    await page.getByRole('button', { name: 'Close the status drawer' }).click();
    await expect(page.getByRole('complementary')).toBeHidden();
    // A window that narrows folds an open drawer away rather than cover the stage with it.
    await page.setViewportSize({ width: 1280, height: 720 });
    await openDrawer(page, 'Status');
    await page.setViewportSize({ width: 1100, height: 700 });
    await expect(page.getByRole('complementary')).toBeHidden();
  });

  test('no serious or critical axe violations with each drawer open, and over the stage in presentation mode', async ({ page }) => {
    await open(page);
    for (let i = 0; i < 2; i++) await stepAndWait(page, 'Next phase');
    await replica(page, 1).click({ modifiers: ['Shift'] });
    for (const name of ['Status', 'Scenario', 'Inspector', 'Lesson', 'Share'] as DrawerName[]) {
      await openDrawer(page, name);
      await noSeriousAxeViolations(page, `the ${name.toLowerCase()} drawer`);
    }
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('p');
    await openDrawer(page, 'Status');
    await noSeriousAxeViolations(page, 'a drawer over the stage in presentation mode');
  });

  test('the README picture: the stage at 1280×720, the normal case mid-round', async ({ page }) => {
    await open(page, '?preset=normal-case');
    // The lesson opened beside the stage; the picture is the stage alone.
    await rail(page).getByRole('button', { name: 'Lesson', exact: true }).click();
    await expect(page.getByRole('complementary')).toBeHidden();
    for (let i = 0; i < 3; i++) await stepAndWait(page, 'Next phase');
    for (let i = 0; i < 4; i++) await stepAndWait(page);
    await expect(page.getByRole('img', { name: /^COMMIT from/ }).first()).toBeVisible();
    await page.mouse.move(0, 0);
    if (process.env.UPDATE_SCREENSHOT === '1') {
      const target = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshot.png');
      mkdirSync(dirname(target), { recursive: true });
      await page.screenshot({ path: target });
    }
    await noSeriousAxeViolations(page, 'the README view');
  });
});

test.describe('On a tablet (768×1024, touch)', () => {
  test.use({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true });
  failOnConsoleErrors();

  test('everything a mouse does works by touch: play, step, toggle, inspect (no Shift key), arrows, scrubbing, drawers, export', async ({ page }) => {
    await open(page);
    await noSeriousAxeViolations(page, 'the tablet layout');
    await button(page, 'Step').tap();
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();

    // A tap toggles a replica malicious, as a click does.
    await replica(page, 3).tap();
    await expect(replica(page, 3)).toHaveAccessibleName(/malicious \(silent\)/);
    await replica(page, 3).tap();
    await expect(replica(page, 3)).not.toHaveAccessibleName(/malicious/);

    // Inspect without a Shift key: switch what a tap does, tap the replica; the inspector opens over the stage.
    await page.getByRole('radio', { name: 'Inspect' }).tap();
    await expect(page.getByRole('radio', { name: 'Inspect' })).toBeChecked();
    await stepAndWait(page, 'Next phase');
    await replica(page, 2).tap();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await expect(inspector.getByText('Executed up to')).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Inspect' })).toHaveValue('2');
    await expect(replica(page, 2)).not.toHaveAccessibleName(/malicious/);
    // And toggling stays one tap away in the inspector.
    await inspector.getByRole('button', { name: 'Make replica 2 malicious (silent)' }).tap();
    await expect(replica(page, 2)).toHaveAccessibleName(/malicious \(silent\)/);
    await inspector.getByRole('button', { name: 'Make replica 2 honest' }).tap();
    await expect(replica(page, 2)).not.toHaveAccessibleName(/malicious/);
    await page.getByRole('button', { name: 'Close the inspector drawer' }).tap();
    await expect(page.getByRole('complementary')).toBeHidden();
    await page.getByRole('radio', { name: 'Malicious' }).tap();

    // A tap on an arrow selects the message in both views; a tap on the diagram's background goes to that time.
    const diagram = page.getByRole('group', { name: 'Space-time diagram' });
    await diagram.getByRole('img', { name: /^REQUEST Client → Replica 0, t=/ }).tap();
    await expect(page.getByRole('img', { name: 'Selected: REQUEST from Client to Replica 0' })).toBeVisible();
    const background = (await page.locator('.diagram-bg').boundingBox())!;
    await page.touchscreen.tap(background.x + 8, background.y + background.height * 0.25);
    await expect(page.getByLabel('Last step')).toContainText('Replay');

    // The scrubber: a tap at its start goes back to the start.
    const scrubber = page.getByRole('slider', { name: 'Time' });
    const track = (await scrubber.boundingBox())!;
    await page.touchscreen.tap(track.x + 2, track.y + track.height / 2);
    await expect(stat(page, 'Messages sent')).toHaveText('0');
    await button(page, 'Latest').tap();

    // Drawers by touch: the scenario's knobs and the log.
    await rail(page).getByRole('button', { name: 'Scenario', exact: true }).tap();
    await page.getByRole('combobox', { name: 'Behaviour' }).selectOption('equivocate');
    await replica(page, 1).tap();
    await expect(replica(page, 1)).toHaveAccessibleName(/malicious \(equivocate\)/);
    await rail(page).getByRole('button', { name: 'Status', exact: true }).tap();
    const log = page.getByRole('listbox', { name: 'Event log' });
    await log.evaluate((el) => (el.scrollTop = 0));
    await log.getByRole('option', { name: /Client → Replica 0 REQUEST/ }).tap();
    await expect(stat(page, 'Messages sent')).toHaveText('1');
    await rail(page).getByRole('button', { name: 'Status', exact: true }).tap();

    // Play and Pause, and an export from a view's menu.
    await button(page, 'Play').tap();
    await expect(button(page, 'Pause')).toBeEnabled();
    await button(page, 'Pause').tap();
    await page.getByRole('button', { name: 'Export the graph' }).tap();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Graph as SVG' }).tap();
    expect((await download).suggestedFilename()).toMatch(/^pbft-lab-graph-n4-seed1-t\d+\.svg$/);
  });
});
