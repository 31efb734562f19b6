import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { button, failOnConsoleErrors, noSeriousAxeViolations, open, openDrawer, replica, setSpeedToMax, stat } from './helpers';

/** What an exported SVG holds, read by the browser's own XML parser. */
interface ParsedSvg {
  parsed: boolean;
  width: number;
  height: number;
  lifelines: string[];
  arrows: Array<{ type: string; from: string; to: string; state: string; x1: number; y1: number; x2: number; y2: number; stroke: string }>;
  lifelineX: Record<string, number>;
  texts: string[];
  legend: string[];
  background: string;
  chrome: string[];
  replicas: number;
}

async function parseSvg(page: Page, text: string): Promise<ParsedSvg> {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const root = doc.documentElement;
    const num = (el: Element | null, name: string) => Number(el?.getAttribute(name) ?? NaN);
    const lifelineX: Record<string, number> = {};
    for (const g of doc.querySelectorAll('.lifeline')) lifelineX[g.getAttribute('data-node') ?? '?'] = num(g.querySelector('line'), 'x1');
    // UI chrome a slide must not carry: buttons, form controls, foreign HTML, scripts, focus rings, the page's attributes, style sheet variables.
    const chrome = [
      ...[...doc.querySelectorAll('button, input, select, foreignObject, script, .focus-ring, .selected-ring, .arrow-hit')].map((el) => el.localName),
      ...[...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^(role|tabindex|aria-|on)/.test(a.name) || a.value.includes('var(')).map((a) => `${el.localName}[${a.name}]`)),
      ...(source.includes('var(--') ? ['var(--'] : []),
    ];
    return {
      parsed: root.localName === 'svg' && doc.querySelector('parsererror') === null,
      width: num(root, 'width'),
      height: num(root, 'height'),
      lifelines: [...doc.querySelectorAll('.lifeline')].map((g) => g.getAttribute('data-node') ?? '?'),
      lifelineX,
      arrows: [...doc.querySelectorAll('.arrow')].map((g) => {
        const line = g.querySelector('line');
        return {
          type: g.getAttribute('data-type') ?? '',
          from: g.getAttribute('data-from') ?? '',
          to: g.getAttribute('data-to') ?? '',
          state: g.getAttribute('data-state') ?? '',
          x1: num(line, 'x1'),
          y1: num(line, 'y1'),
          x2: num(line, 'x2'),
          y2: num(line, 'y2'),
          stroke: line?.getAttribute('stroke') ?? '',
        };
      }),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      legend: [...doc.querySelectorAll('.legend text')].map((t) => t.textContent ?? ''),
      background: doc.querySelector('.background')?.getAttribute('fill') ?? '',
      chrome,
      replicas: doc.querySelectorAll('.replica').length,
    };
  }, text);
}

/** Chooses SVG or PNG in a view's Export menu and returns the downloaded file. */
async function exportPicture(page: Page, view: 'graph' | 'space-time diagram', format: 'SVG' | 'PNG'): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('button', { name: `Export the ${view}` }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: `${view === 'graph' ? 'Graph' : 'Space-time diagram'} as ${format}` }).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

/** The colour a custom property of the current theme resolves to, as the browser writes it. */
async function themeColour(page: Page, property: string): Promise<string> {
  return page.evaluate((p) => getComputedStyle(document.documentElement).getPropertyValue(p).trim(), property);
}

const FIGURE_1 = { REQUEST: 1, 'PRE-PREPARE': 3, PREPARE: 9, COMMIT: 12, REPLY: 4 };

/** Plays the normal case until the client accepts and every message has arrived. */
async function playNormalCase(page: Page) {
  await setSpeedToMax(page);
  await button(page, 'Play').click();
  await expect(stat(page, 'Requests committed')).toHaveText('1');
  await expect(page.locator('.diagram-summary')).toContainText(/ 0 in flight/);
  await button(page, 'Pause').click();
}

test.describe('Slides', () => {
  failOnConsoleErrors();

  test('the normal case at n = 4 exports as Castro and Liskov’s Figure 1: one lifeline per node, one arrow per message sent', async ({ page }) => {
    await open(page);
    await playNormalCase(page);
    // The counters the page shows, by type.
    await openDrawer(page, 'Status');
    const counted: Record<string, number> = {};
    for (const type of Object.keys(FIGURE_1)) counted[type] = Number(await stat(page, `${type} sent`).textContent());
    expect(counted).toEqual(FIGURE_1);
    const sent = Number(await stat(page, 'Messages sent').textContent());
    expect(sent).toBe(29);

    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      const { name, bytes } = await exportPicture(page, 'space-time diagram', 'SVG');
      expect(name).toMatch(/^pbft-lab-space-time-n4-seed1-t\d+\.svg$/);
      const svg = await parseSvg(page, bytes.toString('utf8'));
      expect(svg.parsed, 'the file is well-formed SVG').toBe(true);
      // One lifeline per replica, and the client's first.
      expect(svg.lifelines).toEqual(['client', '0', '1', '2', '3']);
      // One arrow per message sent, of each type as many as the page counted, each delivered.
      expect(svg.arrows).toHaveLength(sent);
      const byType: Record<string, number> = {};
      for (const a of svg.arrows) byType[a.type] = (byType[a.type] ?? 0) + 1;
      expect(byType).toEqual(counted);
      expect(new Set(svg.arrows.map((a) => a.state))).toEqual(new Set(['delivered']));
      // Figure 1's shape: the request goes from the client to the primary; the primary multicasts PRE-PREPARE to the
      // three backups; each backup sends PREPARE to the three others; every replica COMMITs to the three others; every
      // replica REPLYs to the client. Each arrow starts on its sender's lifeline, ends on its receiver's, later in time.
      const route = (type: string) => svg.arrows.filter((a) => a.type === type).map((a) => `${a.from}>${a.to}`).sort();
      expect(route('REQUEST')).toEqual(['client>0']);
      expect(route('PRE-PREPARE')).toEqual(['0>1', '0>2', '0>3']);
      expect(route('PREPARE')).toEqual(['1>0', '1>2', '1>3', '2>0', '2>1', '2>3', '3>0', '3>1', '3>2']);
      expect(route('COMMIT')).toHaveLength(12);
      expect(new Set(route('COMMIT')).size).toBe(12);
      expect(route('REPLY')).toEqual(['0>client', '1>client', '2>client', '3>client']);
      for (const a of svg.arrows) {
        expect(a.x1).toBeCloseTo(svg.lifelineX[a.from], 0);
        expect(a.x2).toBeCloseTo(svg.lifelineX[a.to], 0);
        expect(a.y2).toBeGreaterThanOrEqual(a.y1);
      }
      // Clean: real text and the legend, no UI chrome, the theme's colours written in.
      expect(svg.chrome).toEqual([]);
      for (const label of ['REQUEST', 'PRE-PREPARE', 'PREPARE', 'COMMIT', 'REPLY', 'lost']) expect(svg.legend).toContain(label);
      expect(svg.texts).toEqual(expect.arrayContaining(['C', '0', '1', '2', '3']));
      expect(svg.background).toBe(await themeColour(page, '--panel'));
      expect(svg.arrows.find((a) => a.type === 'PRE-PREPARE')!.stroke).toBe(await themeColour(page, '--msg-pre-prepare'));
      expect(svg.arrows.find((a) => a.type === 'REQUEST')!.stroke).toBe(await themeColour(page, '--msg-request'));
    }
  });

  test('above 4 replicas the diagram is painted, and still exports vector arrows from the same geometry (n = 7)', async ({ page }) => {
    await open(page, '?f=2', 7);
    await playNormalCase(page);
    await expect(page.getByRole('img', { name: /messages as arrows between 7 replicas and the client \(painted/ })).toBeVisible();
    const sent = Number(await stat(page, 'Messages sent').textContent());
    const svg = await parseSvg(page, (await exportPicture(page, 'space-time diagram', 'SVG')).bytes.toString('utf8'));
    expect(svg.lifelines).toHaveLength(8);
    expect(svg.arrows).toHaveLength(sent);
    expect(svg.chrome).toEqual([]);
  });

  test('PNG: the SVG drawn on a canvas at 2×', async ({ page }) => {
    await open(page);
    await playNormalCase(page);
    for (const view of ['space-time diagram', 'graph'] as const) {
      const svg = await parseSvg(page, (await exportPicture(page, view, 'SVG')).bytes.toString('utf8'));
      const png = await exportPicture(page, view, 'PNG');
      expect(png.name).toMatch(/\.png$/);
      expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      expect(png.bytes.readUInt32BE(16)).toBe(svg.width * 2);
      expect(png.bytes.readUInt32BE(20)).toBe(svg.height * 2);
    }
  });

  test('the graph exports as clean SVG: the replicas and the client in real text, the legend, no chrome', async ({ page }) => {
    await open(page);
    await button(page, 'Next phase').click();
    await button(page, 'Next phase').click();
    await replica(page, 3).click();
    await replica(page, 1).click({ modifiers: ['Shift'] });
    await replica(page, 2).focus();
    const { name, bytes } = await exportPicture(page, 'graph', 'SVG');
    expect(name).toMatch(/^pbft-lab-graph-n4-seed1-t\d+\.svg$/);
    const svg = await parseSvg(page, bytes.toString('utf8'));
    expect(svg.parsed).toBe(true);
    expect(svg.replicas).toBe(4);
    expect(svg.texts).toEqual(expect.arrayContaining(['0', '1', '2', '3', 'Client', '☠']));
    expect(svg.texts.some((t) => /View 0 · primary 0/.test(t))).toBe(true);
    for (const label of ['REQUEST', 'PRE-PREPARE', 'PREPARE', 'COMMIT', 'REPLY', 'primary', 'malicious']) expect(svg.legend).toContain(label);
    // No focus ring, no selection ring, no page attributes, colours resolved.
    expect(svg.chrome).toEqual([]);
    expect(svg.background).toBe(await themeColour(page, '--panel'));
  });
});

test.describe('Embed mode', () => {
  failOnConsoleErrors();

  test('?embed=1 shows the stage and the playback bar only, keeps embed in the address, and plays', async ({ page }) => {
    await open(page, '?embed=1&preset=normal-case');
    await expect(page.getByRole('toolbar', { name: 'Playback' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Replicas' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Space-time diagram' })).toBeVisible();
    // No header chrome, no drawers, no menus.
    await expect(page.getByRole('banner')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'PBFT Lab' })).toHaveCount(0);
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await expect(page.getByRole('complementary')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Export/ })).toHaveCount(0);
    await expect(page.getByRole('radiogroup')).toHaveCount(0);
    await noSeriousAxeViolations(page, 'embed mode');
    await button(page, 'Step').click();
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    // The address follows the scenario, and stays embedded.
    await replica(page, 2).click();
    await expect(page).toHaveURL(/mal=2/);
    await expect(page).toHaveURL(/embed=1/);
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('.diagram-summary')).toContainText(/\d+ in flight/);
  });

  test('the README’s iframe snippet embeds a working lab', async ({ page, baseURL }) => {
    const src = `${baseURL}?embed=1&preset=normal-case`;
    await page.setContent(`<!doctype html><title>A slide</title><iframe src="${src}" title="PBFT Lab: the normal case" width="960" height="600" style="border:0"></iframe>`);
    const lab = page.frameLocator('iframe');
    await expect(lab.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    await lab.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(lab.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    await lab.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(lab.getByRole('img', { name: /^PRE-PREPARE from Replica 0/ })).toHaveCount(3);
  });
});
