/**
 * The service worker: after one visit the app loads and runs with no network (a lecture hall's Wi-Fi fails).
 *
 * - Install: caches every file of this build — index.html, the hashed scripts and styles, the simulation and sweep
 *   workers, the manifest and the icons — under a cache named by the build's version (a hash of all of them), then
 *   takes over at once (skipWaiting) rather than waiting for every tab of the old version to close.
 * - Activate: deletes the caches of other versions, so a new deploy leaves no old copy behind.
 * - Fetch: a page load asks the network first (a new deploy shows on the next load) and falls back to the cached
 *   index.html when the network fails or hangs; every other file of the app is served from the cache (its name
 *   carries its hash, or the version changed with it) and otherwise fetched.
 *
 * It does not claim pages already open: the visit that installs it was loaded from the network and finishes that
 * way; the next load is served by it. The list of files and the version are written in at build time
 * (scripts/serviceWorkerPlugin.ts); the page registers it in production builds only (register.ts).
 */
/// <reference lib="webworker" />

declare const self: ServiceWorkerGlobalScope;
/** Replaced by the build with `{ version, files }` (paths relative to the app's folder; './' is index.html). */
declare const __PBFT_LAB_PRECACHE__: { version: string; files: string[] };

const PREFIX = 'pbft-lab-';
const { version, files } = __PBFT_LAB_PRECACHE__;
const CACHE = `${PREFIX}${version}`;
/** How long a page load waits for the network before it is served from the cache (a hanging Wi-Fi, not only none). */
const NAVIGATION_TIMEOUT_MS = 4000;

const scope = () => self.registration.scope;
const index = () => new URL('./', scope()).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Past the HTTP cache: a stale index.html beside fresh scripts would be a broken app.
      await cache.addAll(files.map((f) => new Request(new URL(f, scope()).href, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    })(),
  );
});

async function fromNetworkFirst(request: Request): Promise<Response> {
  const cached = () => caches.open(CACHE).then((cache) => cache.match(index(), { ignoreVary: true }));
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('network timeout')), NAVIGATION_TIMEOUT_MS)),
    ]);
    if (response.ok) return response;
    return (await cached()) ?? response;
  } catch (err) {
    const page = await cached();
    if (page) return page;
    throw err;
  }
}

async function fromCacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  // By address alone: a script loaded with `crossorigin` carries an Origin header its cached copy was not fetched
  // with, and a server that answers `Vary: Origin` would otherwise never match.
  return (await cache.match(request, { ignoreVary: true })) ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope())) return;
  event.respondWith(request.mode === 'navigate' ? fromNetworkFirst(request) : fromCacheFirst(request));
});

export {};
