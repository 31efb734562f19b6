import { expect, test, type Page } from '@playwright/test';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, replica, replicas, stat, stepAndWait } from './helpers';

/** The graph's own coordinates (its viewBox, 1200 × 720, drawn centred and scaled to fit) → the page's pixels. */
async function toScreen(page: Page) {
  const box = (await page.locator('svg.graph').boundingBox())!;
  const scale = Math.min(box.width / 1200, box.height / 720);
  const left = box.x + (box.width - 1200 * scale) / 2;
  const top = box.y + (box.height - 720 * scale) / 2;
  return (x: number, y: number) => ({ x: left + x * scale, y: top + y * scale });
}

/** Where replica k is drawn, in the graph's coordinates, at n = 4 (layout.ts: 0 left, 1 top, 2 right, 3 bottom). */
const RING = [
  { x: 490, y: 362 },
  { x: 690, y: 162 },
  { x: 890, y: 362 },
  { x: 690, y: 562 },
];

async function drag(page: Page, points: Array<{ x: number; y: number }>) {
  const at = await toScreen(page);
  const [first, ...rest] = points.map((p) => at(p.x, p.y));
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const p of rest) await page.mouse.move(p.x, p.y, { steps: 6 });
  await page.mouse.up();
}

const tools = (page: Page) => page.getByRole('button', { name: 'Network tools' });
const shading = (page: Page) => page.getByRole('img', { name: /^Partition:/ });
const cutMarks = (page: Page) => page.locator('.cut-marks line');
const heal = (page: Page) => page.locator('.view-head').getByRole('button', { name: 'Heal', exact: true });

test.describe('Partitions drawn by hand', () => {
  failOnConsoleErrors();

  test('drag a line to cut the primary away, hold the messages, Back, reload, Heal, and the run agrees', async ({ page }) => {
    await open(page);
    await stepAndWait(page); // the client's REQUEST is on its way to replica 0
    await tools(page).click();
    await expect(tools(page)).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('radio', { name: 'Held until Heal' }).check();

    // A line from top to bottom between replica 0 and replicas 1 and 3: the client joins the larger group.
    await drag(page, [
      { x: 590, y: 30 },
      { x: 590, y: 360 },
      { x: 590, y: 700 },
    ]);
    const sentence = 'replica 0 cut off from the client and replicas 1, 2 and 3; messages across the cut are held until Heal';
    await expect(shading(page)).toHaveAccessibleName(`Partition: ${sentence}`);
    await expect(page.getByRole('status').filter({ hasText: 'Cut:' })).toContainText(`Cut: ${sentence}. The client joins the larger group.`);
    // The cut crosses every wire from replica 0: to the client and to replicas 1, 2 and 3.
    await expect(cutMarks(page)).toHaveCount(4);
    await expect(page).toHaveURL(/[?&]cut=0(&|$)/);
    await expect(page).toHaveURL(/[?&]cutrule=hold(&|$)/);
    // The REQUEST already on the wire was caught by the cut: it waits there.
    await expect(page.locator('.held-count')).toHaveText('1 held at the cut');
    await openDrawer(page, 'Status');
    await expect(stat(page, 'Held at the cut')).toHaveText('1');

    // Back over the hold (the cut's own event) and to before the cut: the network is whole on screen; Step replays
    // the cut from the run's interventions.
    await button(page, 'Back').click();
    await expect(shading(page)).toBeVisible();
    await expect(page.locator('.held-count')).toHaveCount(0);
    await button(page, 'Back').click();
    await expect(shading(page)).toHaveCount(0);
    await expect(heal(page)).toHaveCount(0);
    await stepAndWait(page);
    await expect(shading(page)).toBeVisible();
    await expect(cutMarks(page)).toHaveCount(4);

    // The link carries the cut: reloaded, it stands from the start.
    await page.reload();
    await expect(replicas(page)).toHaveCount(4);
    await expect(shading(page)).toHaveAccessibleName(`Partition: ${sentence}`);
    await stepAndWait(page);
    await expect(page.locator('.held-count')).toHaveText('1 held at the cut');
    await stepAndWait(page, 'Next phase');
    // Replica 0 heard nothing: nothing reached it across the cut.
    await expect(replica(page, 0)).toHaveAccessibleName(/idle/);

    await heal(page).click();
    await expect(shading(page)).toHaveCount(0);
    await expect(cutMarks(page)).toHaveCount(0);
    await expect(page).not.toHaveURL(/[?&]cut=/);
    await stepAndWait(page, 'Next request');
    await openDrawer(page, 'Status');
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await expect(stat(page, 'Held at the cut')).toHaveText('0');
    await expect(stat(page, 'Safety violations')).toHaveText('0');
    // Every replica, replica 0 too, executes the request once the held messages reach it.
    for (let k = 0; k < 8 && (await page.getByRole('button', { name: /^Replica \d.*executed/ }).count()) < 4; k++) await stepAndWait(page, 'Next phase');
    for (let id = 0; id < 4; id++) await expect(replica(page, id)).toHaveAccessibleName(/executed/);
  });

  test('a loop round replica 3 cuts it off; its messages are lost, and the other three agree without it', async ({ page }) => {
    await open(page);
    await tools(page).click();
    await expect(page.getByRole('radio', { name: 'Lost' })).toBeChecked();
    const c = RING[3];
    const r = 110;
    await drag(
      page,
      Array.from({ length: 24 }, (_, k) => {
        const a = (k / 23) * (2 * Math.PI - 0.3);
        return { x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) };
      }),
    );
    await expect(shading(page)).toHaveAccessibleName('Partition: replica 3 cut off from the client and replicas 0, 1 and 2; messages across the cut are lost');
    await expect(cutMarks(page)).toHaveCount(4);
    await stepAndWait(page, 'Next request');
    await openDrawer(page, 'Status');
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    await expect.poll(async () => Number(await stat(page, 'Dropped').textContent())).toBeGreaterThan(0);
    await expect(replica(page, 3)).toHaveAccessibleName(/idle/);
  });

  test('a drag that cuts nothing says so and leaves the network whole', async ({ page }) => {
    await open(page);
    await tools(page).click();
    // Beside the ring, right of every replica.
    await drag(page, [
      { x: 1120, y: 40 },
      { x: 1120, y: 680 },
    ]);
    await expect(page.getByRole('status').filter({ hasText: 'cuts nothing' })).toBeVisible();
    await expect(shading(page)).toHaveCount(0);
    await expect(page).not.toHaveURL(/[?&]cut=/);
  });

  test('click the wire between replicas 0 and 2 and make it slow; the URL and the scenario carry it', async ({ page }) => {
    await open(page);
    await tools(page).click();
    const at = await toScreen(page);
    // A quarter of the way from replica 0 to replica 2: clear of the nodes and of the 1–3 wire crossing at the centre.
    const p = at(RING[0].x + (RING[2].x - RING[0].x) * 0.3, RING[0].y);
    await page.mouse.click(p.x, p.y);
    const menu = page.getByRole('dialog', { name: 'Link replica 0 – replica 2' });
    await expect(menu).toBeVisible();
    await expect(menu.getByText('Now: normal')).toBeVisible();
    await expect(menu.getByRole('button', { name: 'Slow' })).toBeFocused();
    await noSeriousAxeViolations(page, 'the network tools and a link menu');
    await menu.getByRole('button', { name: 'Slow' }).click();
    await expect(menu).toHaveCount(0);
    await expect(page.getByRole('listitem', { name: 'Link replica 0 – replica 2: slow +100 ms' })).toBeVisible();
    await expect(page.locator('.link-slow line')).toHaveCount(1);
    await expect(page).toHaveURL(/[?&]links=0-2%3Aslow%3D100(&|$)/);
    await openDrawer(page, 'Scenario');
    const settings = page.getByRole('group', { name: 'Partition and links' });
    await expect(settings).toContainText('replica 0 – replica 2: slow +100 ms');

    // Back on the wire (the drawer took room: the graph is drawn smaller), Lossy as well, then Normal from the panel.
    const again = (await toScreen(page))(RING[0].x + (RING[2].x - RING[0].x) * 0.3, RING[0].y);
    await page.mouse.click(again.x, again.y);
    await expect(menu.getByText('Now: slow +100 ms')).toBeVisible();
    await menu.getByRole('button', { name: 'Lossy' }).click();
    await expect(page.getByRole('listitem', { name: 'Link replica 0 – replica 2: slow +100 ms, lossy 30 %' })).toBeVisible();
    await settings.getByRole('button', { name: 'Make the link replica 0 – replica 2 normal' }).click();
    await expect(page.locator('.link-fault')).toHaveCount(0);
    await expect(page).not.toHaveURL(/[?&]links=/);
  });

  test('the keyboard way: cut from a list, set a link from two lists, Heal; axe clean with the tools and the dialog open', async ({ page }) => {
    await open(page);
    await tools(page).focus();
    await page.keyboard.press('Enter');
    await expect(tools(page)).toHaveAttribute('aria-pressed', 'true');
    await noSeriousAxeViolations(page, 'the network tools');
    await page.getByRole('button', { name: /^By list/ }).first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cut the network, or set a link' });
    await expect(dialog).toBeVisible();
    await noSeriousAxeViolations(page, 'the network dialog');

    await dialog.getByRole('checkbox', { name: 'Replica 1' }).focus();
    await page.keyboard.press('Space');
    await dialog.getByRole('checkbox', { name: 'Replica 2' }).focus();
    await page.keyboard.press('Space');
    await dialog.getByRole('radio', { name: 'Held until Heal' }).focus();
    await page.keyboard.press('Space');
    await dialog.getByRole('button', { name: 'Cut', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(shading(page)).toHaveAccessibleName('Partition: replicas 1 and 2 cut off from the client and replicas 0 and 3; messages across the cut are held until Heal');
    await expect(page).toHaveURL(/[?&]cut=1%2C2(&|$)/);

    await page.getByRole('button', { name: /^By list/ }).first().click();
    await dialog.getByRole('combobox', { name: 'One end' }).selectOption('Replica 0');
    await dialog.getByRole('combobox', { name: 'Other end' }).selectOption('Replica 3');
    await dialog.getByRole('button', { name: 'Lossy' }).focus();
    await page.keyboard.press('Enter');
    await expect(dialog.getByText('Now: lossy 30 %')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('listitem', { name: 'Link replica 0 – replica 3: lossy 30 %' })).toBeVisible();
    await expect(page.locator('.link-lossy line')).toHaveCount(1);

    await heal(page).focus();
    await page.keyboard.press('Enter');
    await expect(shading(page)).toHaveCount(0);
  });
});

test.describe('The lessons do what their words say', () => {
  failOnConsoleErrors();

  test('"A slow link": Network tools, click the wire between 0 and 2, Slow — as slow as the link already drawn', async ({ page }) => {
    await page.goto('./?preset=slow-link');
    await expect(replicas(page)).toHaveCount(4);
    await expect(page.getByRole('listitem', { name: 'Link replica 0 – replica 3: slow +300 ms' })).toBeVisible();
    await tools(page).click();
    const at = await toScreen(page);
    const p = at(RING[0].x + (RING[2].x - RING[0].x) * 0.3, RING[0].y);
    await page.mouse.click(p.x, p.y);
    await page.getByRole('dialog', { name: 'Link replica 0 – replica 2' }).getByRole('button', { name: 'Slow' }).click();
    await expect(page.getByRole('listitem', { name: 'Link replica 0 – replica 2: slow +300 ms' })).toBeVisible();
    await page.screenshot({ path: 'test-results-4305/slow-link.png' });
  });

  test('"Partition the primary away": Heal is above the graph while the cut stands', async ({ page }) => {
    await page.goto('./?preset=partition-primary');
    await expect(replicas(page)).toHaveCount(4);
    await expect(shading(page)).toHaveAccessibleName('Partition: replica 0 cut off from the client and replicas 1, 2 and 3; messages across the cut are held until Heal');
    await stepAndWait(page, 'Next request');
    await page.screenshot({ path: 'test-results-4305/partition-primary.png' });
    const graph = page.getByRole('region', { name: 'Replicas' });
    const healBox = (await heal(page).boundingBox())!;
    const svgBox = (await graph.locator('svg.graph').boundingBox())!;
    expect(healBox.y + healBox.height).toBeLessThanOrEqual(svgBox.y + 1);
    await heal(page).click();
    await expect(shading(page)).toHaveCount(0);
  });
});

test.describe('Partitions on a tablet', () => {
  failOnConsoleErrors();
  test.use({ viewport: { width: 768, height: 1024 }, hasTouch: true });

  test('a tap on a wire opens its menu', async ({ page }) => {
    await open(page);
    await tools(page).tap();
    const at = await toScreen(page);
    const p = at(RING[0].x + (RING[1].x - RING[0].x) * 0.5, RING[0].y + (RING[1].y - RING[0].y) * 0.5);
    await page.touchscreen.tap(p.x, p.y);
    await expect(page.getByRole('dialog', { name: 'Link replica 0 – replica 1' })).toBeVisible();
  });
});
