/**
 * Registers the service worker (sw.ts, built as sw.js beside index.html) once the page has loaded, so installing it
 * never competes with the first paint. Relative URLs: the app works from any folder of a static host. Called in
 * production builds only (src/main.tsx): the dev server is never cached.
 */
export function registerServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => {
    // Offline support is a bonus: where it is refused (a private window, a browser setting) the app runs as before.
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {});
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
