import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWEEP_USAGE, USAGE } from '../cli/args';
import { PARAM_LIST } from './params';
import { parametersMarkdown, withParameters } from './paramsDoc';

describe('the parameter table in words', () => {
  it('README.md shows the table as it is (run npm run params:readme when this fails)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withParameters(readme)).toBe(readme);
  });

  it('has a row for every parameter', () => {
    const rows = parametersMarkdown().split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Parameter'));
    expect(rows.map((r) => r.split(' | ')[0].slice(2))).toEqual(PARAM_LIST.map((p) => p.label));
  });

  it('the CLI help names every flag of a run and of a sweep', () => {
    for (const p of PARAM_LIST) {
      if (!p.cli) continue;
      if (p.scopes.includes('scenario') || p.scopes.includes('run')) expect(USAGE).toContain(`  ${p.cli} `);
      if (p.scopes.includes('sweep')) expect(SWEEP_USAGE).toContain(`  ${p.cli} `);
    }
  });
});
