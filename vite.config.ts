/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig, type Plugin, type ResolvedConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The production page runs under a strict Content-Security-Policy: only its own scripts, styles and worker, no
 * inline script, no eval. (The dev server injects inline styles for hot reload, so it goes without.)
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'pbft-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * Builds the service worker (src/serviceWorker/sw.ts) as `sw.js` beside index.html and writes into it the list of
 * every file of the build it must cache — index.html, the hashed chunks and assets (the workers among them), and the
 * public folder's files (manifest, icons) — with a version: a hash of all their contents, so any change to the app
 * makes a new cache and the old one is deleted. Source maps are left out (only a debugger asks for them).
 */
const PLACEHOLDER = '__PBFT_LAB_PRECACHE__';
const SERVICE_WORKER_FILE = 'sw.js';

function publicFiles(dir: string): string[] {
  if (!dir || !existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

function serviceWorker(entry: string): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'pbft-lab-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName: SERVICE_WORKER_FILE });
    },
    generateBundle(_options, bundle) {
      const contents = new Map<string, string | Uint8Array>();
      for (const [name, item] of Object.entries(bundle)) {
        if (name === SERVICE_WORKER_FILE || name.endsWith('.map')) continue;
        contents.set(name, item.type === 'chunk' ? item.code : item.source);
      }
      for (const name of publicFiles(config.publicDir)) contents.set(name, readFileSync(join(config.publicDir, name)));
      const names = [...contents.keys()].sort();
      const hash = createHash('sha256');
      for (const name of names) hash.update(name).update('\0').update(contents.get(name)!).update('\0');
      const manifest = { version: hash.digest('hex').slice(0, 16), files: names.map((name) => (name === 'index.html' ? './' : `./${name}`)) };
      const sw = bundle[SERVICE_WORKER_FILE];
      if (!sw || sw.type !== 'chunk' || !sw.code.includes(PLACEHOLDER)) this.error(`${SERVICE_WORKER_FILE} was not built from ${entry}, or lacks ${PLACEHOLDER}`);
      sw.code = sw.code.replace(PLACEHOLDER, JSON.stringify(manifest));
    },
  };
}

export default defineConfig({
  // Relative asset paths: the built site works from any sub-path of a static host.
  base: './',
  // The service worker (offline after one visit) is built beside index.html as sw.js.
  plugins: [react(), contentSecurityPolicy(), serviceWorker('src/serviceWorker/sw.ts')],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
