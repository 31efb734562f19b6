import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium';

// Parallel work on one machine can serve its own build on its own port: E2E_PORT=4174 E2E_DIST=dist-b.
const port = Number(process.env.E2E_PORT ?? 4173);
const outDir = process.env.E2E_DIST ?? 'dist';
/** The same build served under a sub-path, as a static host would publish it. */
export const SUBPATH = '/labs/pbft/';
const subpathPort = port + 10;
process.env.E2E_SUBPATH_URL = `http://localhost:${subpathPort}${SUBPATH}`;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  outputDir: port === 4173 ? 'test-results' : `test-results-${port}`,
  use: {
    baseURL: `http://localhost:${port}/`,
    // Recording a trace snapshots the whole page at every action, which tripled the time of the busiest tests; CI keeps
    // no artefacts to open one, so it records none (run locally with `--trace on` to get one).
    trace: process.env.CI ? 'off' : 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 720 },
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --port ${port} --strictPort --outDir ${outDir}`,
      url: `http://localhost:${port}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx tsx scripts/serve-subpath.ts ${outDir} ${subpathPort} ${SUBPATH}`,
      url: `http://localhost:${subpathPort}${SUBPATH}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
