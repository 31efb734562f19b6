/**
 * Draws the app's PNG icons from its SVG icons (public/icons/*.svg) with the same headless Chromium the tests use:
 *   npx tsx scripts/make-icons.ts
 * The PNGs are committed; run this again only after changing an SVG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium';

const icons = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const targets: Array<[svg: string, png: string, size: number]> = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['maskable.svg', 'maskable-512.png', 512],
  ['maskable.svg', 'apple-touch-icon.png', 180],
];

async function main() {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  try {
    for (const [svg, png, size] of targets) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      const data = `data:image/svg+xml;base64,${readFileSync(join(icons, svg)).toString('base64')}`;
      await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="${data}" width="${size}" height="${size}">`);
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      writeFileSync(join(icons, png), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      await page.close();
      process.stdout.write(`${png} (${size}×${size})\n`);
    }
  } finally {
    await browser.close();
  }
}

void main();
