import { existsSync } from 'node:fs';

/**
 * Playwright cannot download its own browsers on every machine (this project's CI cannot), so we use Debian's
 * Chromium when it is there. CHROMIUM_PATH overrides; with neither, Playwright's own browser is used.
 */
export function chromiumExecutable(): string | undefined {
  const debianChromium = '/usr/bin/chromium';
  return process.env.CHROMIUM_PATH || (existsSync(debianChromium) ? debianChromium : undefined);
}

/** Flags that keep a headless Chromium quiet on a machine with a closed network and no GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
