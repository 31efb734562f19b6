import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { button, open, setSpeedToMax, stat, watchConsole } from './helpers';

/** Every file of the build the tests serve, but the source maps and the service worker itself. */
function builtFiles(): string[] {
  const dir = process.env.E2E_DIST ?? 'dist';
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.filter((f) => !f.endsWith('.map') && f !== 'sw.js').sort();
}

/** Waits until the service worker is active, then reloads once so that it controls the page. */
async function controlledByServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** The app's caches, each with the paths (relative to the app's folder) it holds. */
async function cached(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const scope = (await navigator.serviceWorker.ready).scope;
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => r.url.slice(scope.length) || 'index.html').sort();
    }
    return out;
  });
}

test.describe('Offline', () => {
  test('after one visit the app loads and runs with no network: Step, Play, the workers', async ({ page, context }) => {
    const problems = watchConsole(page, [/net::ERR_INTERNET_DISCONNECTED/]);
    await open(page);
    await controlledByServiceWorker(page);
    // The whole build is cached: index.html, every hashed script and style, both workers, the manifest and the icons.
    const caches = await cached(page);
    expect(Object.keys(caches)).toHaveLength(1);
    expect(Object.keys(caches)[0]).toMatch(/^pbft-lab-[0-9a-f]{16}$/);
    expect(Object.values(caches)[0]).toEqual(builtFiles());

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    await button(page, 'Step').click();
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    await expect(stat(page, 'Messages sent')).toHaveText('1');
    await setSpeedToMax(page);
    await button(page, 'Play').click();
    await expect(stat(page, 'Requests committed')).toHaveText('1');
    // A shared link (another query) opens offline too.
    await page.goto('./?f=2&seed=7');
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(7);
    await context.setOffline(false);
    expect(problems).toEqual([]);
  });

  test('from a sub-path, under the Content-Security-Policy: installable, scoped to its folder, offline after one visit', async ({ page, context }) => {
    const url = process.env.E2E_SUBPATH_URL!;
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    await page.goto(url);
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
    expect(scope).toBe(url);

    // The web app manifest: a name, icons that load, a start URL in the app's folder, standalone.
    const href = await page.locator('link[rel="manifest"]').evaluate((l: HTMLLinkElement) => l.href);
    const manifest = await (await page.request.get(href)).json();
    expect(manifest).toMatchObject({ name: 'PBFT Lab', display: 'standalone', start_url: './' });
    expect(new URL(manifest.start_url, href).href).toBe(url);
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons as Array<{ src: string; type: string }>) {
      const response = await page.request.get(new URL(icon.src, href).href);
      expect(response.status(), icon.src).toBe(200);
      expect(response.headers()['content-type'], icon.src).toContain(icon.type);
    }
    // Chromium's own verdict on installability.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    // (Playwright's browser contexts are incognito, where Chromium installs nothing: the one error it may report.)
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);

    await controlledByServiceWorker(page);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
    await button(page, 'Step').click();
    await expect(page.getByRole('img', { name: 'REQUEST from Client to Replica 0' })).toBeVisible();
    await context.setOffline(false);
    expect(violations).toEqual([]);
  });

  test('a new deploy is picked up on the next load and its old cache is deleted', async ({ page, context }, testInfo) => {
    // A static host of our own, serving a copy of the build we can redeploy while the page is open.
    const site = testInfo.outputPath('site');
    cpSync(process.env.E2E_DIST ?? 'dist', site, { recursive: true });
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };
    const server = createServer((req, res) => {
      const path = join(site, decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/\/$/, '/index.html'));
      if (!existsSync(path)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(readFileSync(path));
    });
    await new Promise<void>((done) => server.listen(0, done));
    const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
    try {
      await page.goto(url);
      await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
      await controlledByServiceWorker(page);
      const [before] = Object.keys(await cached(page));
      expect(before).toMatch(/^pbft-lab-[0-9a-f]{16}$/);

      // The new deploy: another index.html (its title says so), so another version of the service worker.
      const html = readFileSync(join(site, 'index.html'), 'utf8');
      writeFileSync(join(site, 'index.html'), html.replace('<title>PBFT Lab</title>', '<title>PBFT Lab (new)</title>'));
      const sw = readFileSync(join(site, 'sw.js'), 'utf8');
      writeFileSync(join(site, 'sw.js'), sw.replace(/"version":"[0-9a-f]+"/, '"version":"0000000000000001"'));

      // The next load shows it (the page itself comes from the network first)…
      await page.reload();
      await expect(page).toHaveTitle('PBFT Lab (new)');
      // …and the new service worker takes over without waiting for the tab to close, deleting the old cache.
      await expect.poll(async () => Object.keys(await cached(page)), { timeout: 20_000 }).toEqual(['pbft-lab-0000000000000001']);
      await context.setOffline(true);
      await page.reload();
      await expect(page).toHaveTitle('PBFT Lab (new)');
      await expect(page.getByRole('button', { name: /^Replica \d+/ })).toHaveCount(4);
      await context.setOffline(false);
    } finally {
      server.close();
    }
  });
});
