import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'test-results', 'test-results-*', 'playwright-report', 'bench-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/store/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The views reach the workers only through the stores (src/main.tsx hands the stores their workers), tests too:
    // they use the stores' test kits (src/store/labTestkit.ts, sweepTestkit.ts).
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/worker', '**/worker/**'], message: 'src/ui reaches the worker only through src/store.' }] },
      ],
    },
  },
  {
    // The core must run unchanged in Node, in the worker and in tests: no UI, no DOM, no hidden clocks or dice.
    files: ['src/sim/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'src/sim is the pure core: no React.' },
            { group: ['d3', 'd3-*'], message: 'src/sim is the pure core: no D3.' },
            { group: ['zustand', 'zustand/*'], message: 'src/sim is the pure core: no zustand.' },
            { group: ['**/ui/**', '**/store/**', '**/worker/**'], message: 'src/sim must not import the layers above it.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded RNG (src/sim/rng.ts).' },
        { object: 'Date', property: 'now', message: 'Use the virtual clock.' },
        { object: 'performance', property: 'now', message: 'Use the virtual clock.' },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'self', 'postMessage', 'setTimeout', 'setInterval'],
    },
  },
);
