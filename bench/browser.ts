/**
 * The browser half of `npm run bench`: builds the app, serves it, drives it in a real (headless, software-rendered)
 * Chromium and measures what a classroom feels — frame intervals and long tasks while playing, Step and slider
 * latency, first paint, the bundle size and the JS heap over a long run. Prints figures; never fails on time.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type ElementHandle, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/chromium';
import { exportRun } from '../src/sim/share';
import { longRecordedRun } from '../src/sim/testkit';
import { sliderFromSpeed } from '../src/ui/controls/speedScale';

const OUT_DIR = 'dist-bench';
const PORT = 4176;

export interface BrowserFigures {
  bundleGzipKB: number;
  workerGzipKB: number;
  firstContentfulPaintMs: number | null;
  frameP50Ms: Record<string, number>;
  frameP95Ms: Record<string, number>;
  longTasks: Record<string, number>;
  stepLatencyP95Ms: number;
  sliderLatencyP95Ms: number;
  heapStartMB: number | null;
  heapEndMB: number | null;
  heapMinutes: number;
  /** Loading a run file of `importEvents` events (n = 10): until the page says it is imported, and its longest task. */
  importEvents: number;
  importMs: number;
  importLongestTaskMs: number;
  /** The heap after each sixth of the run, so "bounded" can be read as a curve, not two points. */
  heapSamplesMB: Array<number | null>;
  /** The scrubber's reading at the end: how many events the page keeps, and whether older ones were compacted. */
  heapEndHistory: string | null;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Initial JavaScript of the page (the entry and what it preloads), gzipped; the worker is reported apart. */
function bundleSizes(): { main: number; worker: number } {
  const html = readFileSync(join(OUT_DIR, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const gz = (file: string) => gzipSync(readFileSync(join(OUT_DIR, file))).length;
  const main = referenced.reduce((sum, file) => sum + gz(file), 0);
  const worker = readdirSync(join(OUT_DIR, 'assets'))
    .filter((f) => f.includes('worker') && f.endsWith('.js'))
    .reduce((sum, f) => sum + gz(join('assets', f)), 0);
  return { main, worker };
}

/**
 * Opens or closes one of the drawers at the stage's side (the scenario's knobs, sharing). The frames are measured
 * with the stage alone, as a lecture shows it, so every drawer opened for a control is closed again.
 */
async function drawer(page: Page, name: 'Scenario' | 'Share', open: boolean): Promise<void> {
  const toggle = page.getByRole('navigation', { name: 'Drawers' }).getByRole('button', { name, exact: true });
  if (((await toggle.getAttribute('aria-expanded')) === 'true') !== open) await toggle.click();
}

async function setF(page: Page, f: number): Promise<void> {
  await drawer(page, 'Scenario', true);
  const slider = page.getByRole('slider', { name: 'f' });
  await slider.fill(String(f));
  await page.getByRole('button', { name: /^Replica \d+/ }).nth(3 * f).waitFor();
  await drawer(page, 'Scenario', false);
}

async function setSpeed(page: Page, virtualMsPerSecond: number): Promise<void> {
  await page.getByRole('slider', { name: 'Speed' }).fill(String(sliderFromSpeed(virtualMsPerSecond)));
}

/**
 * Frame intervals and long tasks (> 50 ms) on the main thread over `ms` of playing. `newRequest` (the New request button) is pressed every half
 * second meanwhile, so the run stays busy for the whole sample: at n = 4 one request is over in a second, and frames
 * of a run that has gone quiet would flatter the figure.
 */
async function sampleFrames(page: Page, ms: number, newRequest: ElementHandle<HTMLElement | SVGElement>): Promise<{ intervals: number[]; longTasks: number }> {
  return page.evaluate(
    ({ duration, newRequest }) =>
      new Promise<{ intervals: number[]; longTasks: number }>((resolve) => {
        const intervals: number[] = [];
        let longTasks = 0;
        const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
        observer.observe({ type: 'longtask' });
        const feed = setInterval(() => (newRequest as HTMLElement).click(), 500);
        let last = performance.now();
        const end = last + duration;
        const frame = (t: number) => {
          intervals.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(frame);
          else {
            clearInterval(feed);
            observer.disconnect();
            resolve({ intervals, longTasks });
          }
        };
        requestAnimationFrame(frame);
      }),
    { duration: ms, newRequest },
  );
}

/** From a click on Step to the first frame painted after the page changed, `count` times. */
async function stepLatencies(page: Page, count: number): Promise<number[]> {
  const step = await page.getByRole('button', { name: 'Step', exact: true }).elementHandle();
  return page.evaluate(
    async ({ button, count }) => {
      const out: number[] = [];
      for (let k = 0; k < count; k++) {
        const latency = await new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - t0));
          });
          observer.observe(document.querySelector('main') ?? document.body, { subtree: true, childList: true, characterData: true });
          const t0 = performance.now();
          (button as HTMLButtonElement).click();
        });
        out.push(latency);
        await new Promise((r) => setTimeout(r, 30));
      }
      return out;
    },
    { button: step, count },
  );
}

/** From moving the f slider to the first frame after the graph shows 3f+1 replicas. */
async function sliderLatencies(page: Page, fFrom: number, count: number): Promise<number[]> {
  await drawer(page, 'Scenario', true);
  const slider = await page.getByRole('slider', { name: 'f' }).elementHandle();
  const latencies = await page.evaluate(
    async ({ input, fFrom, count }) => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const replicaCount = () => document.querySelectorAll('[role="button"][aria-label^="Replica "]').length;
      const out: number[] = [];
      for (let k = 0; k < count; k++) {
        const f = k % 2 === 0 ? fFrom - 1 : fFrom;
        const latency = await new Promise<number>((resolve) => {
          const done = () => requestAnimationFrame(() => resolve(performance.now() - t0));
          const observer = new MutationObserver(() => {
            if (replicaCount() === 3 * f + 1) {
              observer.disconnect();
              done();
            }
          });
          observer.observe(document.body, { subtree: true, childList: true });
          const t0 = performance.now();
          setValue.call(input, String(f));
          (input as HTMLInputElement).dispatchEvent(new Event('input', { bubbles: true }));
          (input as HTMLInputElement).dispatchEvent(new Event('change', { bubbles: true }));
        });
        out.push(latency);
        await new Promise((r) => setTimeout(r, 100));
      }
      return out;
    },
    { input: slider, fFrom, count },
  );
  await drawer(page, 'Scenario', false);
  return latencies;
}

async function heapMB(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return memory ? memory.usedJSHeapSize / 1024 / 1024 : null;
  });
}

/**
 * Loads a run file recorded by the core (a long lecture's export) through the page's Import control, as a person would:
 * from choosing the file to the page saying it is imported, and the longest main-thread task meanwhile.
 */
async function importLongRun(page: Page, events: number): Promise<{ importEvents: number; importMs: number; importLongestTaskMs: number }> {
  const { scenario, sim } = longRecordedRun(events);
  // From a file on disk, as a person picks one (handing Playwright a buffer makes it build the file inside the page).
  const file = join(mkdtempSync(join(tmpdir(), 'pbft-lab-bench-')), 'long-run.json');
  writeFileSync(file, exportRun(scenario, [], sim.trace));
  await page.evaluate(() => {
    const w = window as unknown as { longestTaskMs: number; longTaskObserver?: PerformanceObserver };
    w.longestTaskMs = 0;
    w.longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longestTaskMs = Math.max(w.longestTaskMs, e.duration);
    });
    w.longTaskObserver.observe({ type: 'longtask' });
  });
  await drawer(page, 'Share', true);
  const t0 = Date.now();
  await page.getByLabel('Run file to import').setInputFiles(file);
  await page.getByText('Imported long-run.json').waitFor({ timeout: 120_000 });
  const importMs = Date.now() - t0;
  await drawer(page, 'Share', false);
  // Long tasks are reported a moment after they end.
  await page.waitForTimeout(500);
  const importLongestTaskMs = await page.evaluate(() => {
    const w = window as unknown as { longestTaskMs: number; longTaskObserver?: PerformanceObserver };
    w.longTaskObserver?.disconnect();
    return w.longestTaskMs;
  });
  rmSync(dirname(file), { recursive: true, force: true });
  return { importEvents: sim.trace.length, importMs, importLongestTaskMs };
}

export async function benchBrowser(options: { quick: boolean; log: (line: string) => void }): Promise<BrowserFigures> {
  const { log } = options;
  await build({ logLevel: 'silent', build: { outDir: OUT_DIR, emptyOutDir: true } });
  const sizes = bundleSizes();
  const server = await preview({ logLevel: 'silent', build: { outDir: OUT_DIR }, preview: { port: PORT, strictPort: true } });
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  const url = `http://localhost:${PORT}/`;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    // tsx compiles the functions we evaluate in the page with esbuild's keepNames, which calls a __name helper.
    await context.addInitScript('globalThis.__name = (target) => target;');
    let page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: /^Replica 0/ }).waitFor();
    const firstContentfulPaintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);

    const frameP50Ms: Record<string, number> = {};
    const frameP95Ms: Record<string, number> = {};
    const longTasks: Record<string, number> = {};
    const sampleMs = options.quick ? 2500 : 6000;
    // n = 4 is the one n whose messages are SVG elements in both views (the diagram paints them from n = 7, the graph
    // from n = 13); n = 13 is the top of a classroom's range. The first sample is a warm-up (the page's code is
    // still being compiled after loading), printed but not kept.
    for (const [i, f] of [1, 1, 2, 3, 4, 10, 33].entries()) {
      const n = 3 * f + 1;
      await page.getByRole('button', { name: 'Reset', exact: true }).click();
      await setF(page, f);
      // Fast enough that every replica is busy, slow enough that a person could follow a message.
      await setSpeed(page, 100);
      const newRequest = page.getByRole('button', { name: 'New request', exact: true });
      await newRequest.click();
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await page.waitForTimeout(300);
      const { intervals, longTasks: lt } = await sampleFrames(page, sampleMs, (await newRequest.elementHandle())!);
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      if (i === 0) {
        log(`  (warm-up at n = ${n}: frame interval p95 ${percentile(intervals, 0.95).toFixed(1)} ms, ${intervals.length} frames)`);
        continue;
      }
      frameP50Ms[n] = percentile(intervals, 0.5);
      frameP95Ms[n] = percentile(intervals, 0.95);
      longTasks[n] = lt;
      log(`  n = ${String(n).padStart(3)}: frame interval p50 ${frameP50Ms[n].toFixed(1)} ms, p95 ${frameP95Ms[n].toFixed(1)} ms, long tasks ${lt}  (${intervals.length} frames)`);
    }

    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setF(page, 10);
    const steps = await stepLatencies(page, options.quick ? 15 : 40);
    const stepLatencyP95Ms = percentile(steps, 0.95);
    log(`  Step → painted frame at n = 31: p50 ${percentile(steps, 0.5).toFixed(1)} ms, p95 ${stepLatencyP95Ms.toFixed(1)} ms`);
    const sliders = await sliderLatencies(page, 10, options.quick ? 6 : 16);
    const sliderLatencyP95Ms = percentile(sliders, 0.95);
    log(`  f slider → redrawn graph at n ≈ 31: p50 ${percentile(sliders, 0.5).toFixed(1)} ms, p95 ${sliderLatencyP95Ms.toFixed(1)} ms`);

    const { importEvents, importMs, importLongestTaskMs } = await importLongRun(page, options.quick ? 60_000 : 200_000);
    log(`  import of a ${importEvents.toLocaleString('en-US')}-event run file (n = 10): ${importMs.toFixed(0)} ms, longest task ${importLongestTaskMs.toFixed(0)} ms`);

    const heapMinutes = options.quick ? 1 : 10;
    // A fresh tab: the heap run starts from the default scenario and an empty heap, not from the imported run.
    await page.close();
    page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: /^Replica 0/ }).waitFor();
    // n = 31: busy enough that the run passes the page's 100,000-event history bound within the first minute, so the
    // heap is seen both growing to the bound and staying there while older history is compacted.
    await setF(page, 10);
    await setSpeed(page, 5000);
    const heapStartMB = await heapMB(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const start = Date.now();
    const end = start + heapMinutes * 60_000;
    const heapSamplesMB: Array<number | null> = [];
    let nextSample = start + (end - start) / 6;
    while (Date.now() < end) {
      await page.getByRole('button', { name: 'New request', exact: true }).click();
      await page.waitForTimeout(2000);
      if (Date.now() >= nextSample) {
        heapSamplesMB.push(await heapMB(page));
        nextSample += (end - start) / 6;
      }
    }
    const heapEndMB = await heapMB(page);
    const heapEndHistory = await page.getByRole('slider', { name: 'Time' }).getAttribute('aria-valuetext');
    const mb = (v: number | null) => (v === null ? '—' : v.toFixed(1));
    log(`  JS heap over a ${heapMinutes}-minute run at n = 31, 5 s/s, a new request every 2 s: ${mb(heapStartMB)} MB → ${mb(heapEndMB)} MB`);
    log(`    every sixth of the run: ${heapSamplesMB.map(mb).join(', ')} MB; at the end the scrubber reads "${heapEndHistory}"`);
    return {
      bundleGzipKB: sizes.main / 1024,
      workerGzipKB: sizes.worker / 1024,
      firstContentfulPaintMs,
      frameP50Ms,
      frameP95Ms,
      longTasks,
      stepLatencyP95Ms,
      sliderLatencyP95Ms,
      heapStartMB,
      heapEndMB,
      heapMinutes,
      importEvents,
      importMs,
      importLongestTaskMs,
      heapSamplesMB,
      heapEndHistory,
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
