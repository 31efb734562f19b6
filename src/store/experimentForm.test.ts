import { describe, expect, it } from 'vitest';
import { seedExperiment } from '../sim/experiment';
import { articleForm, defaultForm, defaultWorkerCount, describeMValues, parseMValues, validateForm, type ExperimentForm } from './experimentForm';

const form = (patch: Partial<ExperimentForm> = {}): ExperimentForm => ({ ...defaultForm(2), ...patch });
const errorsOf = (patch: Partial<ExperimentForm>) => validateForm(form(patch)).errors;

describe('experiment form', () => {
  it('the default form is the seed article’s settings over m = 0..n in both modes', () => {
    const { errors, plan } = validateForm(defaultForm(2));
    expect(errors).toEqual({});
    expect(plan!.workers).toBe(2);
    expect(plan!.sweeps.map((s) => s.mode)).toEqual(['seed', 'pbft']);
    expect(plan!.sweeps[1]).toEqual(seedExperiment({ mValues: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }));
  });

  it('the article’s experiment is exactly seedExperiment() in both modes', () => {
    const { plan } = validateForm(articleForm(1));
    expect(plan!.sweeps).toEqual([seedExperiment({ mode: 'seed' }), seedExperiment({ mode: 'pbft' })]);
  });

  it('reads m lists and ranges, with n standing for the replica count', () => {
    expect(parseMValues('0-n', 4)).toEqual([0, 1, 2, 3, 4]);
    expect(parseMValues('7, 0,3 ,5,3', 10)).toEqual([0, 3, 5, 7]);
    expect(parseMValues('2..4, n', 10)).toEqual([2, 3, 4, 10]);
    expect(parseMValues('1–2', 10)).toEqual([1, 2]);
    expect(describeMValues([0, 1, 2, 3, 4])).toBe('m = 0, 1, …, 4 (5 values)');
    expect(describeMValues([0, 3])).toBe('m = 0, 3 (2 values)');
  });

  it('says what is wrong with m: beyond n, unreadable, empty range, nothing', () => {
    expect(errorsOf({ m: '0,12' }).m).toBe('m = 12 is more than n = 10: there are only 10 replicas to corrupt.');
    expect(errorsOf({ n: '4', m: '0-5' }).m).toBe('m = 5 is more than n = 4: there are only 4 replicas to corrupt.');
    expect(errorsOf({ m: 'three' }).m).toBe('m: cannot read “three”; use numbers and ranges, e.g. 0-n or 0,3,5,7.');
    expect(errorsOf({ m: '-1' }).m).toMatch(/^m: cannot read “-1”/);
    expect(errorsOf({ m: '5-3' }).m).toBe('m: the range 5-3 is empty (5 is more than 3).');
    expect(errorsOf({ m: ' , ' }).m).toBe('Give at least one m, e.g. 0-n or 0,3,5,7.');
    expect(errorsOf({ n: 'x', m: '0-n' }).m).toBe('m: “n” needs a valid n first.');
  });

  it('every number field has a range and says so', () => {
    expect(errorsOf({ n: '0' }).n).toBe('n must be from 1 to 100; 0 is out of range.');
    expect(errorsOf({ n: '101' }).n).toBe('n must be from 1 to 100; 101 is out of range.');
    expect(errorsOf({ n: '4.5' }).n).toBe('n must be a whole number; 4.5 is not.');
    expect(errorsOf({ n: '' }).n).toBe('n is empty: give a whole number from 1 to 100.');
    expect(errorsOf({ trials: '0' }).trials).toBe('Trials per m must be from 1 to 10,000; 0 is out of range.');
    expect(errorsOf({ timeoutMs: '0' }).timeoutMs).toBe('Trial timeout must be from 1 ms to 1,000,000 ms; 0 is out of range.');
    expect(errorsOf({ dropPercent: '120' }).dropPercent).toBe('Drop rate must be from 0 % to 100 %; 120 is out of range.');
    expect(errorsOf({ reorderPercent: 'lots' }).reorderPercent).toBe('Reorder rate must be a number from 0 % to 100 %; “lots” is not.');
    expect(errorsOf({ requests: '0' }).requests).toBe('Requests per trial must be from 1 to 10,000; 0 is out of range.');
    expect(errorsOf({ seed: '-1' }).seed).toBe('Seed must be from 0 to 4,294,967,295; -1 is out of range.');
    expect(errorsOf({ workers: '0' }).workers).toBe('Worker threads must be from 1 to 16; 0 is out of range.');
    expect(errorsOf({ maxDelayMs: '6000' }).maxDelayMs).toBe('Max delay must be from 0 ms to 1,000 ms; 6000 is out of range.');
  });

  it('min delay above max delay is refused on the min delay field', () => {
    const { errors, plan } = validateForm(form({ minDelayMs: '50', maxDelayMs: '40' }));
    expect(errors).toEqual({ minDelayMs: 'Min delay (50 ms) must not exceed max delay (40 ms).' });
    expect(plan).toBeNull();
  });

  it('refuses experiments too large for the page, pointing to the CLI', () => {
    expect(errorsOf({ n: '100', m: '0-n', trials: '1000', mode: 'both' }).trials).toBe(
      'That is 202,000 trials in all; the panel runs at most 200,000 (the CLI, npm run sim -- sweep, runs more).',
    );
    expect(errorsOf({ n: '100', m: '0-n', trials: '1000', mode: 'pbft' }).trials).toBeUndefined();
  });

  it('rates are percent in the form and fractions in the config; one mode runs one sweep', () => {
    const { plan } = validateForm(form({ dropPercent: '2.5', reorderPercent: '10', mode: 'pbft', selection: 'primary', behaviour: 'silent' }));
    expect(plan!.sweeps).toHaveLength(1);
    expect(plan!.sweeps[0]).toMatchObject({ dropRate: 0.025, reorderRate: 0.1, mode: 'pbft', selection: 'primary', behaviour: 'silent' });
  });

  it('uses one worker per core, between 1 and 8', () => {
    expect(defaultWorkerCount(undefined)).toBe(1);
    expect(defaultWorkerCount(2)).toBe(2);
    expect(defaultWorkerCount(64)).toBe(8);
    expect(defaultWorkerCount(0)).toBe(1);
  });
});
