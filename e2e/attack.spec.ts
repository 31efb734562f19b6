import { expect, test, type Page } from '@playwright/test';
import { CUT_POINT } from '../src/sim/network';
import { graphLayout, wirePoint } from '../src/ui/graph/layout';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, setSpeedToMax, stat, stepAndWait } from './helpers';

const network = (page: Page) => page.getByRole('region', { name: 'Network', exact: true });
const attack = (page: Page) => page.getByRole('region', { name: 'Find an attack' });
const inspector = (page: Page) => page.getByRole('region', { name: 'Inspector' });

async function openRail(page: Page, name: 'Network' | 'Attack') {
  const toggle = page.getByRole('navigation', { name: 'Drawers' }).getByRole('button', { name, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

/** Deliver by hand on, and the client's REQUEST issued: it waits in flight for a hand. */
async function byHand(page: Page) {
  await openRail(page, 'Network');
  await network(page).getByRole('switch', { name: 'Deliver by hand' }).check();
  await stepAndWait(page);
  await expect(network(page).getByRole('button', { name: /^Deliver REQUEST client → 0/ })).toBeVisible();
}

test.describe('Attack lab', () => {
  failOnConsoleErrors();

  test('deliver by hand: a PBFT round in the order chosen, by keyboard and by filters, and the client accepts', async ({ page }) => {
    await open(page);
    await byHand(page);
    const panel = network(page);
    // Nothing moves by itself: the REQUEST is the one row (under the header).
    await expect(panel.getByRole('row')).toHaveCount(2);
    // By keyboard: focus the row's Deliver and press Enter.
    await panel.getByRole('button', { name: /^Deliver REQUEST client → 0/ }).focus();
    await page.keyboard.press('Enter');
    await expect(panel.getByRole('button', { name: /^Deliver PRE-PREPARE 0 → \d/ })).toHaveCount(3);
    // The order chosen: replica 3 first, then 1, then 2.
    for (const to of [3, 1, 2]) await panel.getByRole('button', { name: new RegExp(`^Deliver PRE-PREPARE 0 → ${to}`) }).click();
    await expect(panel.getByRole('button', { name: /^Deliver PRE-PREPARE/ })).toHaveCount(0);
    // The event log shows the deliveries in the order chosen.
    await openDrawer(page, 'Status');
    const received = page.getByRole('listbox', { name: 'Event log' }).getByRole('option', { name: /received PRE-PREPARE/ });
    await expect(received).toHaveCount(3);
    expect((await received.allTextContents()).map((t) => t.match(/Replica (\d) received/)?.[1])).toEqual(['3', '1', '2']);
    await openRail(page, 'Network');
    // Each phase in one go: PREPARE, then COMMIT, then REPLY.
    for (const phase of ['PREPARE', 'COMMIT', 'REPLY']) {
      await panel.getByRole('combobox', { name: 'Phase to deliver' }).selectOption({ label: phase });
      await panel.getByRole('button', { name: /^Deliver all of this phase/ }).click();
      await expect(panel.getByRole('button', { name: new RegExp(`^Deliver ${phase} `) })).toHaveCount(0);
    }
    await openDrawer(page, 'Status');
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    // Back undoes the last choice.
    await button(page, 'Back').click();
    await expect(stat(page, 'Requests committed')).toHaveText('0');
  });

  test('a hand’s choices: the event log tells them as yours, and the scrubber marks where they were made', async ({ page }) => {
    await open(page);
    await byHand(page);
    const panel = network(page);
    await panel.getByRole('button', { name: /^Duplicate REQUEST client → 0/ }).click();
    await expect(panel.getByRole('button', { name: /^Deliver REQUEST client → 0/ })).toHaveCount(2);
    await panel.getByRole('button', { name: /^Deliver REQUEST client → 0/ }).first().click();
    await expect(panel.getByRole('button', { name: /^Deliver PRE-PREPARE 0 → \d/ })).toHaveCount(3);
    await openDrawer(page, 'Status');
    const log = page.getByRole('listbox', { name: 'Event log' });
    await expect(log.getByRole('option', { name: /You duplicated REQUEST from Client to Replica 0: a second copy of it waits in flight for your hand/ })).toHaveCount(1);
    await expect(log.getByRole('option', { name: /Replica 0 → Replica 1 PRE-PREPARE v0 #1 \(waits in flight for your hand\)/ })).toHaveCount(1);
    await expect(log.getByRole('option', { name: /held at the cut|Heal/ })).toHaveCount(0);
    // Switch, duplicate and delivery were made at t=0: one tick, at the start of the track, under the scrubber.
    const marks = page.getByRole('list', { name: 'Your choices on the timeline' }).getByRole('button');
    await expect(marks).toHaveCount(1);
    await expect(marks).toHaveAttribute('aria-label', /^3 choices at t=0\.0: deliver by hand on; duplicate REQUEST from Client to Replica 0; deliver REQUEST from Client to Replica 0$/);
    const track = (await page.getByRole('slider', { name: 'Time' }).boundingBox())!;
    const tick = (await marks.boundingBox())!;
    expect(tick.x).toBeGreaterThanOrEqual(track.x);
    expect(tick.x + tick.width).toBeLessThan(track.x + track.width / 2);
    expect(tick.y + tick.height).toBeLessThanOrEqual(track.y + track.height + 1);
    await marks.click();
    await expect(page.getByRole('slider', { name: 'Time' })).toHaveAttribute('aria-valuetext', /^t = 0\.0 of /);
  });

  test('drop one PREPARE: that replica stays un-prepared while the others prepare (the inspector says so)', async ({ page }) => {
    await open(page);
    await byHand(page);
    const panel = network(page);
    await panel.getByRole('button', { name: /^Deliver REQUEST client → 0/ }).click();
    await panel.getByRole('combobox', { name: 'Phase to deliver' }).selectOption({ label: 'PRE-PREPARE' });
    await panel.getByRole('button', { name: /^Deliver all of this phase \(3\)/ }).click();
    await expect(panel.getByRole('button', { name: /^Deliver PREPARE/ })).toHaveCount(9);
    // The PREPARE from 1 to 3 is lost; the one from 2 to 3 waits; everything to 0, 1 and 2 is delivered.
    await panel.getByRole('button', { name: /^Drop PREPARE 1 → 3/ }).click();
    await expect(panel.getByRole('button', { name: /^Deliver PREPARE 1 → 3/ })).toHaveCount(0);
    const replicaFilter = panel.getByRole('combobox', { name: 'Replica for the filters' });
    for (const k of ['0', '1', '2']) {
      await replicaFilter.selectOption(k);
      await panel.getByRole('button', { name: new RegExp(`^Deliver everything to replica ${k}`) }).click();
      await expect(panel.getByRole('button', { name: new RegExp(`^Deliver PREPARE \\d → ${k}`) })).toHaveCount(0);
    }
    await openDrawer(page, 'Inspector');
    await inspector(page).getByLabel('Inspect').selectOption('3');
    const slots = inspector(page).getByRole('list', { name: 'Log by sequence number' });
    await expect(slots.getByRole('listitem').first()).toHaveClass(/phase-pre-prepared/);
    await expect(slots.getByRole('meter', { name: /^PREPARE 1 of 2f = 2/ })).toBeVisible();
    await inspector(page).getByLabel('Inspect').selectOption('1');
    await expect(slots.getByRole('listitem').first()).toHaveClass(/phase-prepared/);
    await expect(slots.getByRole('meter', { name: /^PREPARE [23] of 2f = 2/ })).toBeVisible();
  });

  test('a dot clicked in the graph selects its row; the panels pass axe', async ({ page }) => {
    await open(page);
    await byHand(page);
    await noSeriousAxeViolations(page, 'the Network panel');
    await page.locator('.messages .msg.by-hand').first().click();
    await expect(network(page).locator('tr[aria-current="true"]')).toContainText('REQUEST');
    await openRail(page, 'Attack');
    await noSeriousAxeViolations(page, 'the Find an attack panel');
  });

  test('an arrow clicked in the space-time diagram selects the same message’s row', async ({ page }) => {
    await open(page);
    await byHand(page);
    await network(page).getByRole('button', { name: /^Deliver REQUEST client → 0/ }).click();
    await expect(network(page).getByRole('button', { name: /^Deliver PRE-PREPARE 0 → \d/ })).toHaveCount(3);
    // Three PRE-PREPAREs wait for a hand; the one to replica 2 is picked in the diagram, not the first of the list.
    const arrow = page.getByRole('group', { name: 'Space-time diagram' }).getByRole('img', { name: /^PRE-PREPARE Replica 0 → Replica 2, sent t=[\d.]+, waits in flight for your hand$/ });
    await expect(arrow).toHaveCount(1);
    await expect(network(page).locator('tr[aria-current="true"]').filter({ hasText: /PRE-PREPARE\s*0 → 2/ })).toHaveCount(0);
    // Arrows cross each other, so click this one itself rather than a point on the screen (as the classroom spec does).
    await arrow.dispatchEvent('click');
    const row = network(page).locator('tr[aria-current="true"]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(/PRE-PREPARE\s*0 → 2/);
    await expect(page.getByRole('img', { name: 'Selected: PRE-PREPARE from Replica 0 to Replica 2' })).toBeVisible();
  });

  test('at n = 13 the dots are painted on a canvas: clicking one selects its row, as an SVG dot does', async ({ page }) => {
    await open(page, '?f=4', 13);
    await byHand(page);
    await network(page).getByRole('button', { name: /^Deliver REQUEST client → 0/ }).click();
    await expect(network(page).getByRole('button', { name: /^Deliver PRE-PREPARE 0 → \d/ })).toHaveCount(12);
    // Painted, not drawn as elements.
    await expect(page.locator('canvas.message-canvas')).toBeVisible();
    await expect(page.locator('.messages .msg')).toHaveCount(0);
    // Where the PRE-PREPARE from 0 to 5 stands, waiting for a hand: half-way along its wire, in the graph's own
    // coordinates, then on the screen as the SVG's viewBox ("xMidYMid meet") puts it.
    const layout = graphLayout(13);
    const at = wirePoint(layout, layout.replicas[0], layout.replicas[5], CUT_POINT, false, false);
    const box = (await page.locator('svg.graph').boundingBox())!;
    const scale = Math.min(box.width / layout.width, box.height / layout.height);
    const x = box.x + (box.width - layout.width * scale) / 2 + at.x * scale;
    const y = box.y + (box.height - layout.height * scale) / 2 + at.y * scale;
    await page.mouse.click(x, y);
    await expect(network(page).locator('tr[aria-current="true"]')).toContainText(/PRE-PREPARE\s*0 → 5/);
    await expect(page.getByRole('img', { name: 'Selected: PRE-PREPARE from Replica 0 to Replica 5' })).toBeVisible();
  });

  /** Searches the scenario at `url` for `goal` within `budget` schedules, opens what it found and plays it. */
  async function findOpenAndPlay(page: Page, url: string, goal: 'Fool the client' | 'Stall', budget: number): Promise<void> {
    await open(page, url);
    await openRail(page, 'Attack');
    const panel = attack(page);
    await panel.getByRole('radio', { name: goal }).check();
    await panel.getByRole('textbox', { name: /Budget/ }).fill(String(budget));
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect(panel.getByText(/Attack found/)).toBeVisible({ timeout: 30_000 });
    await panel.getByRole('button', { name: 'Open in the visualizer' }).click();
    await setSpeedToMax(page);
    await button(page, 'Play').click();
  }

  test('find the f+1-colluder attack, open it in the visualizer, see the banner with the quorums that overlapped', async ({ page }) => {
    await open(page, '?f=1&mal=0:collude,1:collude');
    await openRail(page, 'Attack');
    const panel = attack(page);
    await expect(panel.getByText(/malicious 0: collude, 1: collude/)).toBeVisible();
    await panel.getByRole('radio', { name: 'Break agreement' }).check();
    await panel.getByRole('textbox', { name: /Budget/ }).fill('2000');
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect(panel.getByText(/Attack found/)).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByText(/schedules\/s/)).toBeVisible();
    await panel.getByRole('button', { name: 'Open in the visualizer' }).click();
    await expect(page.getByRole('slider', { name: 'Time' })).toHaveAttribute('aria-valuetext', /^t = 0.0 of 0.0 ms, event 0 of 0/);
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    const banner = page.locator('.safety-banner');
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText('Safety violated at #1');
    await expect(banner).toContainText(/overlap only in replicas 0 and 1/);
  });

  test('fool the client: the opened attack’s banner names the liars whose REPLYs the client accepted', async ({ page }) => {
    await findOpenAndPlay(page, '?f=1&mal=0:collude,1:collude', 'Fool the client', 2000);
    const banner = page.getByRole('alert', { name: 'Client fooled' });
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText(/f\+1 = 2 matching REPLYs/);
    await expect(banner).toContainText(/came from replicas 0 and 1 — both liars/);
    await expect(banner).toContainText(/No honest replica computed that result/);
  });

  test('stall: the opened attack’s banner says which request waits, since when the network is calm, and why', async ({ page }) => {
    // The seed's protocol has no view change: a silent primary stalls it on any schedule.
    await findOpenAndPlay(page, '?f=1&mode=seed&mal=0:silent', 'Stall', 50);
    const banner = page.getByRole('alert', { name: 'Stalled' });
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText(/has waited since the network became calm at t=/);
    await expect(banner).toContainText(/Replica 0 is silent/);
    await expect(banner).toContainText(/whose primary, replica 0, is silent — and this protocol has no view change/);
  });

  test('Twins: the search runs replicas 0 and 1 as twins, draws their side, and the opened run breaks agreement', async ({ page }) => {
    // Two requests at once: a twin of the primary that hears them in another order numbers them differently.
    await open(page, '?f=1&req=2&conc=2');
    await openRail(page, 'Attack');
    const panel = attack(page);
    await panel.getByRole('radio', { name: 'Break agreement' }).check();
    await panel.getByRole('textbox', { name: /Budget/ }).fill('200');
    await panel.getByRole('textbox', { name: 'Twins' }).fill('0,1');
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect(panel.getByText(/Attack found/)).toBeVisible({ timeout: 30_000 });
    const drawn = panel.getByText(/^Twins 0, 1: their second instances talked to/);
    await expect(drawn).toBeVisible();
    const side = /talked to (?:no replica|replicas? ([\d, ]+)),/.exec((await drawn.textContent()) ?? '')?.[1]?.split(', ').join(',') ?? '';
    await panel.getByRole('button', { name: 'Open in the visualizer' }).click();
    // The run opens on the side the schedule drew, and a link carries it.
    await expect(page).toHaveURL(new RegExp(`twins=0%2C1%2F${side.replace(/,/g, '%2C')}(&|$)`));
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    const banner = page.locator('.safety-banner');
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText(/Safety violated at #\d/);
    // A twin is a faulty replica though its code is honest: the banner counts the twins in m and says how they lied.
    await expect(banner).toContainText('m = 2 faulty replicas (0 and 1 run as twins) but PBFT tolerates only f = 1');
    await expect(banner).toContainText(/as twins: each instance honest, the two instances on both sides/);
  });

  test('with m ≤ f the search finds nothing, and says in how many schedules', async ({ page }) => {
    await open(page, '?f=1&mal=0:collude');
    await openRail(page, 'Attack');
    const panel = attack(page);
    await panel.getByRole('textbox', { name: /Budget/ }).fill('400');
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect(panel.getByText('No attack found in 400 schedules.')).toBeVisible({ timeout: 30_000 });
  });

  test('a run played by hand travels in a link: Copy link carries the schedule, and the link replays it', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await open(page);
    await byHand(page);
    await network(page).getByRole('button', { name: /^Deliver REQUEST client → 0/ }).click();
    await network(page).getByRole('button', { name: /^Drop PRE-PREPARE 0 → 2/ }).click();
    await openDrawer(page, 'Share');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByText('Link copied')).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/[?&]schedule=1\./);
    await page.goto(link);
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    // The run opens at its start; playing replays every choice at its moment.
    await button(page, 'Play').click();
    await openRail(page, 'Network');
    // The same moment: the REQUEST delivered, the PRE-PREPARE to 2 dropped, the other two waiting.
    await expect(network(page).getByRole('button', { name: /^Deliver PRE-PREPARE 0 → \d/ })).toHaveCount(2, { timeout: 15_000 });
    await expect(network(page).getByRole('switch', { name: 'Deliver by hand' })).toBeChecked();
  });
});
