/**
 * One table, one verdict: every parameter's edge values (min, max, just outside on both sides, a fraction, garbage)
 * go through every reader that takes that parameter — the URL, the CLI (run and sweep), run-file import, the
 * Experiments form and the store's actions — and each must either keep the value as given or not, exactly as the
 * table says. The cases and the readers are derived from src/sim/params.ts, so a new parameter is tested as soon
 * as it is declared (a parameter the store takes must also be given a store driver below, or the test says so).
 */
import { describe, expect, it } from 'vitest';
import { parseRunArgs, parseSearchArgs, parseSweepArgs } from './cli/args';
import { BEHAVIOUR_PARAM, LINK_KNOBS, PARAM_LIST, PARAMS, replicaCount, toShown, type ChoiceParam, type NumberParam, type Param } from './sim/params';
import { defaultScenario } from './sim/scenario';
import { decodeShare, encodeShare, exportRun, importRun } from './sim/share';
import type { TimedIntervention } from './sim/types';
import { BEHAVIOURS, type BehaviourKind, type Scenario } from './sim/types';
import { defaultForm, validateForm, type ExperimentForm, type FormField } from './store/experimentForm';
import { createLabStore, type LabStore } from './store/labStore';

/** A value as a reader gets it: a number for JSON and the store, text for the URL, the CLI and the form. */
interface Case {
  name: string;
  /** In stored units (rates 0..1); not a number for garbage. */
  value: unknown;
  /** What the table says, worked out here without the schema: a finite number, in range, whole where it must be. */
  valid: boolean;
}

function numberCases(p: NumberParam): Case[] {
  const step = p.integer ? 1 : (p.max - p.min) / 1000;
  const ok = (x: number) => Number.isFinite(x) && x >= p.min && x <= p.max && (!p.integer || Number.isInteger(x));
  const values: Array<[string, number]> = [
    ['min', p.min],
    ['max', p.max],
    ['just below min', p.min - step],
    ['just above max', p.max + step],
    ['a fraction', p.min + 0.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ];
  return [
    ...values.map(([name, value]) => ({ name, value, valid: ok(value) })),
    { name: 'empty', value: '', valid: false },
    { name: '"abc"', value: 'abc', valid: false },
  ];
}

/** As text in display units (percent for rates), or as the garbage text itself. */
const shownText = (p: NumberParam, c: Case) => (typeof c.value === 'number' && Number.isFinite(c.value) ? String(toShown(p, c.value)) : String(c.value));
const storedText = (c: Case) => String(c.value);
const same = (a: unknown, b: unknown) => a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-12);

/** A reader's verdict: the value it ended up with, or undefined when it refused. */
type Reader = (p: NumberParam, c: Case) => unknown;

/** Values that no cross-field rule binds against: whatever one delay is set to, the other leaves room. */
const LOOSE_NETWORK = { minDelayMs: PARAMS.minDelayMs.min, maxDelayMs: PARAMS.maxDelayMs.max };
/** Nor the window rule (L ≥ 2K): the smallest checkpoint interval and the widest window. */
const LOOSE_WINDOW = { checkpointInterval: PARAMS.checkpointInterval.min, watermarkWindow: PARAMS.watermarkWindow.max };
const without = <T extends object>(o: T, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

function tryOr<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

// ───────────────────────────── the readers ─────────────────────────────

const url: Reader = (p, c) => {
  const loose = without(
    {
      min: String(LOOSE_NETWORK.minDelayMs),
      max: String(LOOSE_NETWORK.maxDelayMs),
      [PARAMS.checkpointInterval.url!]: String(LOOSE_WINDOW.checkpointInterval),
      [PARAMS.watermarkWindow.url!]: String(LOOSE_WINDOW.watermarkWindow),
    },
    p.url!,
  );
  const back = decodeShare(new URLSearchParams({ ...loose, [p.url!]: shownText(p, c) }).toString());
  if (back.notices.length > 0) return undefined;
  return p === PARAMS.speed ? back.speed : (back.scenario as unknown as Record<string, unknown>)[p.key];
};

/** Flags that keep the cross-field rules loose; a sweep takes no checkpoint interval or window. */
const looseFlags = (p: NumberParam, withWindow = true) =>
  [
    [PARAMS.minDelayMs, LOOSE_NETWORK.minDelayMs],
    [PARAMS.maxDelayMs, LOOSE_NETWORK.maxDelayMs],
    ...(withWindow
      ? [
          [PARAMS.checkpointInterval, LOOSE_WINDOW.checkpointInterval],
          [PARAMS.watermarkWindow, LOOSE_WINDOW.watermarkWindow],
        ]
      : []),
  ]
    .filter(([q]) => q !== p)
    .flatMap(([q, v]) => [(q as NumberParam).cli!, String(v)]);

const cliRun: Reader = (p, c) =>
  tryOr(() => {
    const options = parseRunArgs([...looseFlags(p), p.cli!, storedText(c)]);
    if (options.command !== 'run') return undefined;
    return p === PARAMS.limit ? options.limitMs : (options.scenario as unknown as Record<string, unknown>)[p.key];
  });

const cliSweep: Reader = (p, c) =>
  tryOr(() => {
    const options = parseSweepArgs([...looseFlags(p, false), p.cli!, storedText(c)]);
    return options.command === 'sweep' ? (options.config as unknown as Record<string, unknown>)[p.key] : undefined;
  });

/** The search's knobs: `npm run sim -- search --budget 10`. */
const cliSearch: Reader = (p, c) =>
  tryOr(() => {
    const options = parseSearchArgs([p.cli!, storedText(c)]);
    return options.command === 'search' ? (options.search as unknown as Record<string, unknown>)[p.key] : undefined;
  });

const looseScenario = (): Scenario => defaultScenario({ ...LOOSE_NETWORK, ...LOOSE_WINDOW });
const importScenario = (scenario: unknown, interventions: unknown[] = []) =>
  tryOr(() => importRun(exportRun(scenario as Scenario, interventions as TimedIntervention[], [])));

const runFile: Reader = (p, c) => importScenario({ ...looseScenario(), [p.key]: c.value })?.scenario[p.key as keyof Scenario];

/** A setNetwork intervention in a run file (the network knobs). */
const runFileIntervention: Reader = (p, c) => {
  const file = importScenario(looseScenario(), [{ afterEvent: 0, at: 0, intervention: { kind: 'setNetwork', params: { [p.key]: c.value } } }]);
  const i = file?.interventions[0].intervention;
  return i?.kind === 'setNetwork' ? (i.params as Record<string, unknown>)[p.key] : undefined;
};

const kindOf = (p: NumberParam) => (Object.entries(BEHAVIOUR_PARAM).find(([, q]) => q === p)![0]) as BehaviourKind;

/** A behaviour's knob in the URL's and the CLI's list: "0:omit=0.3". */
const urlKnob: Reader = (p, c) => {
  const back = decodeShare(`mal=${encodeURIComponent(`0:${kindOf(p)}=${storedText(c)}`)}`);
  return back.notices.length > 0 ? undefined : (back.scenario.malicious[0] as unknown as Record<string, unknown>)[p.key];
};
const cliKnob: Reader = (p, c) =>
  tryOr(() => {
    const options = parseRunArgs(['--malicious', `0:${kindOf(p)}=${storedText(c)}`]);
    return options.command === 'run' ? (options.scenario.malicious[0] as unknown as Record<string, unknown>)[p.key] : undefined;
  });
const runFileKnob: Reader = (p, c) => {
  const behaviour = { kind: kindOf(p), [p.key]: c.value };
  const file = importScenario({ ...looseScenario(), malicious: { 0: behaviour } }, [{ afterEvent: 0, at: 0, intervention: { kind: 'setBehaviour', id: 1, behaviour } }]);
  if (!file) return undefined;
  const inScenario = (file.scenario.malicious[0] as unknown as Record<string, unknown>)[p.key];
  const i = file.interventions[0].intervention;
  const inIntervention = i.kind === 'setBehaviour' ? (i.behaviour as unknown as Record<string, unknown>)[p.key] : undefined;
  // Both places a behaviour travels in a run file must agree with each other, too.
  expect(inIntervention).toEqual(inScenario);
  return inScenario;
};

const knobOf = (p: NumberParam) => Object.entries(LINK_KNOBS).find(([, q]) => q === p)![0];

/** A link's knob in the URL's and the CLI's list: "0-1:slow=150". */
const urlLinkKnob: Reader = (p, c) => {
  const back = decodeShare(`links=${encodeURIComponent(`0-1:${knobOf(p)}=${storedText(c)}`)}`);
  return back.notices.length > 0 ? undefined : (back.scenario.links?.[0] as unknown as Record<string, unknown> | undefined)?.[p.key];
};
const cliLinkKnob: Reader = (p, c) =>
  tryOr(() => {
    const options = parseRunArgs(['--links', `0-1:${knobOf(p)}=${storedText(c)}`]);
    return options.command === 'run' ? (options.scenario.links?.[0] as unknown as Record<string, unknown> | undefined)?.[p.key] : undefined;
  });
/** In a run file: a link of the scenario, and a setLink intervention, which must agree. */
const runFileLinkKnob: Reader = (p, c) => {
  const fault = { extraDelayMs: 0, dropRate: 0, [p.key]: c.value };
  const file = importScenario({ ...looseScenario(), links: [{ a: 0, b: 1, ...fault }] }, [{ afterEvent: 0, at: 0, intervention: { kind: 'setLink', a: 1, b: 2, fault } }]);
  if (!file) return undefined;
  const inScenario = (file.scenario.links?.[0] as unknown as Record<string, unknown> | undefined)?.[p.key];
  const i = file.interventions[0].intervention;
  const inIntervention = i.kind === 'setLink' ? (i.fault as unknown as Record<string, unknown> | null)?.[p.key] : undefined;
  expect(inIntervention).toEqual(inScenario);
  return inScenario;
};

/** The Experiments form, with the other fields where no rule between fields binds (one m, one mode). */
const form: Reader = (p, c) => {
  const field = p.form as FormField;
  const loose: Partial<ExperimentForm> = without({ minDelayMs: String(LOOSE_NETWORK.minDelayMs), maxDelayMs: String(LOOSE_NETWORK.maxDelayMs) }, field);
  const { errors, plan } = validateForm({ ...defaultForm(1), ...loose, m: '0', mode: 'pbft', [field]: shownText(p, c) });
  if (errors[field] || !plan) return undefined;
  return p === PARAMS.workers ? plan.workers : (plan.sweeps[0] as unknown as Record<string, unknown>)[p.key];
};

function labStore(): LabStore {
  return createLabStore({ connect: () => ({ send: () => {}, dispose: () => {} }), requestFrame: () => {} });
}

/** What the store keeps when a control sends a value: each parameter the store takes, through its action. */
const STORE_DRIVERS: Partial<Record<keyof typeof PARAMS, (store: LabStore, value: number) => unknown>> = {
  f: (store, v) => (store.getState().actions.setF(v), store.getState().scenario.f),
  seed: (store, v) => (store.getState().actions.setSeed(v), store.getState().scenario.seed),
  minDelayMs: (store, v) => network(store, 'minDelayMs', v),
  maxDelayMs: (store, v) => network(store, 'maxDelayMs', v),
  dropRate: (store, v) => network(store, 'dropRate', v),
  reorderRate: (store, v) => network(store, 'reorderRate', v),
  speed: (store, v) => (store.getState().actions.setSpeed(v), store.getState().playback.speed),
  omitProbability: (store, v) => (store.getState().actions.chooseBehaviour({ omitProbability: v }), store.getState().behaviourChoice.omitProbability),
  extraDelayMs: (store, v) => (store.getState().actions.chooseBehaviour({ extraDelayMs: v }), store.getState().behaviourChoice.extraDelayMs),
  linkDelayMs: (store, v) => (store.getState().actions.chooseLinkKnobs({ extraDelayMs: v }), store.getState().partitionUi.linkChoice.extraDelayMs),
  linkDropRate: (store, v) => (store.getState().actions.chooseLinkKnobs({ dropRate: v }), store.getState().partitionUi.linkChoice.dropRate),
};

function network(store: LabStore, key: 'minDelayMs' | 'maxDelayMs' | 'dropRate' | 'reorderRate', value: number): unknown {
  store.getState().actions.setNetwork(LOOSE_NETWORK);
  store.getState().actions.setNetwork({ [key]: value });
  return store.getState().scenario[key];
}

const storeAction = (id: keyof typeof PARAMS): Reader => (_p, c) => (typeof c.value === 'number' ? STORE_DRIVERS[id]!(labStore(), c.value) : undefined);

/** Every reader of a number parameter, derived from where the table says it lives. */
function readersOf(id: keyof typeof PARAMS, p: NumberParam): Array<[string, Reader]> {
  const readers: Array<[string, Reader]> = [];
  const inScenario = p.scopes.includes('scenario');
  if (p.url && (inScenario || p.scopes.includes('view'))) readers.push(['URL', url]);
  if (p.cli && (inScenario || p.scopes.includes('run'))) readers.push(['CLI run', cliRun]);
  if (p.cli && p.scopes.includes('sweep')) readers.push(['CLI sweep', cliSweep]);
  if (p.cli && p.scopes.includes('search')) readers.push(['CLI search', cliSearch]);
  if (inScenario) readers.push(['run file', runFile]);
  if (inScenario && p.live) readers.push(['run file setNetwork', runFileIntervention]);
  if (p.scopes.includes('behaviour')) readers.push(['URL mal', urlKnob], ['CLI --malicious', cliKnob], ['run file behaviour', runFileKnob]);
  if (p.scopes.includes('link')) readers.push(['URL links', urlLinkKnob], ['CLI --links', cliLinkKnob], ['run file link', runFileLinkKnob]);
  if (p.form) readers.push(['form', form]);
  if (STORE_DRIVERS[id]) readers.push(['store', storeAction(id)]);
  return readers;
}

const ENTRIES = Object.entries(PARAMS) as Array<[keyof typeof PARAMS, Param]>;
const NUMBER_PARAMS = ENTRIES.filter((e): e is [keyof typeof PARAMS, NumberParam] => e[1].type === 'number');

describe('every number parameter gets the same verdict from every reader', () => {
  for (const [id, p] of NUMBER_PARAMS) {
    describe(`${id} (${p.min}–${p.max}${p.integer ? ', whole' : ''})`, () => {
      const readers = readersOf(id, p);
      it('has at least one reader', () => expect(readers.length).toBeGreaterThan(0));
      for (const c of numberCases(p)) {
        it(`${c.name} (${String(c.value)}) is ${c.valid ? 'kept' : 'not kept'} by ${readers.map(([r]) => r).join(', ')}`, () => {
          const verdicts = readers.map(([name, read]) => {
            const got = read(p, c);
            const kept = got !== undefined && same(got, c.value);
            // Not kept means refused, replaced by a default, or clamped into range; never a value out of range.
            if (got !== undefined && !kept) expect(got, `${name} kept an out-of-range ${id}`).toSatisfy((x: unknown) => typeof x === 'number' && x >= p.min && x <= p.max);
            return [name, kept] as const;
          });
          expect(Object.fromEntries(verdicts)).toEqual(Object.fromEntries(readers.map(([name]) => [name, c.valid])));
        });
      }
    });
  }

  it('a parameter the store clamps (a slider) has a store driver', () => {
    for (const [id, p] of NUMBER_PARAMS) if (p.slider) expect(STORE_DRIVERS[id], id).toBeDefined();
  });
});

// ───────────────────────────── choices ─────────────────────────────

function choiceCases(p: ChoiceParam): Case[] {
  return [
    ...p.choices.map((c) => ({ name: c, value: c, valid: true })),
    { name: 'upper case', value: p.choices[0].toUpperCase(), valid: false },
    { name: 'padded', value: ` ${p.choices[0]}`, valid: false },
    { name: 'empty', value: '', valid: false },
    { name: '"abc"', value: 'abc', valid: false },
  ];
}

type ChoiceReader = (p: ChoiceParam, value: string) => unknown;

const CHOICE_READERS: Record<string, ChoiceReader> = {
  URL: (p, value) => {
    const back = decodeShare(new URLSearchParams({ [p.url!]: value }).toString());
    return back.notices.length ? undefined : (back.scenario as unknown as Record<string, unknown>)[p.key];
  },
  'CLI run': (p, value) =>
    tryOr(() => {
      const o = parseRunArgs([p.cli!, value]);
      return o.command === 'run' ? (o.scenario as unknown as Record<string, unknown>)[p.key] : undefined;
    }),
  'CLI sweep': (p, value) =>
    tryOr(() => {
      const o = parseSweepArgs([p.cli!, value]);
      if (o.command !== 'sweep') return undefined;
      if (p === PARAMS.sweepMode) return o.modes.length === 2 ? 'both' : o.modes[0];
      return (o.config as unknown as Record<string, unknown>)[p.key];
    }),
  'CLI search': (p, value) =>
    tryOr(() => {
      const o = parseSearchArgs([p.cli!, value]);
      return o.command === 'search' ? (o.search as unknown as Record<string, unknown>)[p.key] : undefined;
    }),
  'run file': (p, value) => importScenario({ ...defaultScenario(), [p.key]: value })?.scenario[p.key as keyof Scenario],
  form: (p, value) => {
    const field = p.form as FormField;
    const { errors, plan } = validateForm({ ...defaultForm(1), [field]: value });
    if (errors[field] || !plan) return undefined;
    if (p === PARAMS.sweepMode) return plan.sweeps.length === 2 ? 'both' : plan.sweeps[0].mode;
    return (plan.sweeps[0] as unknown as Record<string, unknown>)[p.key];
  },
};

function choiceReadersOf(p: ChoiceParam): string[] {
  const inScenario = p.scopes.includes('scenario');
  return [
    ...(p.url && inScenario ? ['URL'] : []),
    ...(p.cli && inScenario ? ['CLI run'] : []),
    ...(p.cli && p.scopes.includes('sweep') ? ['CLI sweep'] : []),
    ...(p.cli && p.scopes.includes('search') ? ['CLI search'] : []),
    ...(inScenario ? ['run file'] : []),
    ...(p.form ? ['form'] : []),
  ];
}

describe('every choice gets the same verdict from every reader', () => {
  for (const [id, p] of ENTRIES.filter((e): e is [keyof typeof PARAMS, ChoiceParam] => e[1].type === 'choice')) {
    const readers = choiceReadersOf(p);
    for (const c of choiceCases(p)) {
      it(`${id}: ${c.name} is ${c.valid ? 'kept' : 'not kept'} by ${readers.join(', ')}`, () => {
        const verdicts = readers.map((r) => [r, CHOICE_READERS[r](p, c.value as string) === c.value]);
        expect(Object.fromEntries(verdicts)).toEqual(Object.fromEntries(readers.map((r) => [r, c.valid])));
      });
    }
    it(`${id}: a run file refuses a non-string`, () => {
      if (readers.includes('run file')) expect(CHOICE_READERS['run file'](p, 3 as unknown as string)).toBeUndefined();
    });
  }
});

// ───────────────────────────── lists ─────────────────────────────

describe('malicious replicas: the same ids and behaviours are kept by the URL, the CLI, a run file and the store', () => {
  const f = PARAMS.f.default;
  const n = replicaCount({ f });
  const entries: Array<{ name: string; id: number; kind: string; valid: boolean }> = [
    { name: 'the first replica', id: 0, kind: 'silent', valid: true },
    { name: 'the last replica', id: n - 1, kind: 'equivocate', valid: true },
    { name: 'one past the last', id: n, kind: 'silent', valid: false },
    { name: 'far beyond n', id: 1000, kind: 'silent', valid: false },
    { name: 'an unknown behaviour', id: 0, kind: 'lie', valid: false },
    ...BEHAVIOURS.map((kind) => ({ name: kind, id: 1, kind, valid: true })),
  ];
  for (const e of entries) {
    it(`${e.name} (${e.id}:${e.kind}) is ${e.valid ? 'kept' : 'not kept'}`, () => {
      const urlBack = decodeShare(`f=${f}&mal=${e.id}:${e.kind}`);
      const cli = tryOr(() => parseRunArgs(['--f', String(f), '--malicious', `${e.id}:${e.kind}`]));
      const file = importScenario({ ...defaultScenario({ f }), malicious: { [e.id]: { kind: e.kind } } });
      const store = labStore();
      if ((BEHAVIOURS as readonly string[]).includes(e.kind)) store.getState().actions.chooseBehaviour({ kind: e.kind as BehaviourKind });
      store.getState().actions.toggleMalicious(e.id);
      const kept = (m: Scenario['malicious'] | undefined) => m?.[e.id]?.kind === e.kind;
      expect({
        URL: urlBack.notices.length === 0 && kept(urlBack.scenario.malicious),
        'CLI run': cli?.command === 'run' && kept(cli.scenario.malicious),
        'run file': kept(file?.scenario.malicious),
        // The store's clicks choose among known behaviours only; an unknown one is not offered.
        ...((BEHAVIOURS as readonly string[]).includes(e.kind) ? { store: kept(store.getState().scenario.malicious) } : {}),
      }).toEqual({ URL: e.valid, 'CLI run': e.valid, 'run file': e.valid, ...((BEHAVIOURS as readonly string[]).includes(e.kind) ? { store: e.valid } : {}) });
    });
  }
  for (const garbage of ['abc', '0:', ':silent', '-1:silent', '1.5:silent', '0:silent=3']) {
    it(`“${garbage}” is not kept as given by the URL or the CLI`, () => {
      expect(decodeShare(`mal=${encodeURIComponent(garbage)}`).notices).not.toEqual([]);
      expect(() => parseRunArgs(['--malicious', garbage])).toThrow();
    });
  }
  it('a run file refuses ids that are not replicas', () => {
    for (const id of ['-1', '1.5', 'abc', String(n)]) expect(importScenario({ ...defaultScenario(), malicious: { [id]: { kind: 'silent' } } })).toBeUndefined();
  });
});

describe('a partition: the same sides are kept by the URL, the CLI, a run file and the store', () => {
  const f = PARAMS.f.default;
  const n = replicaCount({ f });
  const cases: Array<{ raw: string; side: number[] | null }> = [
    { raw: '0', side: [0] },
    { raw: `${n - 1}`, side: [n - 1] },
    { raw: 'c', side: [-1] },
    { raw: '0,1,c', side: [-1, 0, 1] },
    { raw: '1,0,1', side: [0, 1] },
    { raw: `${n}`, side: null },
    { raw: '-1', side: null },
    { raw: 'x', side: null },
    { raw: '1.5', side: null },
    { raw: `c,${Array.from({ length: n }, (_, k) => k).join(',')}`, side: null },
  ];
  for (const { raw, side } of cases) {
    it(`“${raw}” → ${side ? side.join(',') : 'refused'}`, () => {
      const urlBack = decodeShare(`f=${f}&cut=${encodeURIComponent(raw)}`);
      const cli = tryOr(() => parseRunArgs(['--f', String(f), '--partition', raw]));
      // As JSON and as the store's action take it: c is the client (−1); a token that is no node stays as written.
      const asData = raw.split(',').map((t): unknown => (t === 'c' ? -1 : /^\d+$/.test(t) ? Number(t) : t));
      const file = importScenario({ ...defaultScenario({ f }), partition: asData });
      const store = labStore();
      const cut = store.getState().actions.cut(asData.filter((x): x is number => typeof x === 'number'));
      expect({
        URL: urlBack.notices.length === 0 ? (urlBack.scenario.partition ?? null) : null,
        'CLI run': cli?.command === 'run' ? (cli.scenario.partition ?? null) : null,
        'run file': file ? (file.scenario.partition ?? null) : null,
        store: cut ? (store.getState().scenario.partition ?? null) : null,
      }).toEqual({ URL: side, 'CLI run': side, 'run file': side, store: side });
    });
  }
  it('the cut rule travels with it, and a link written either way round is one link', () => {
    const back = decodeShare(encodeShare({ scenario: defaultScenario({ partition: [-1, 2], partitionRule: 'hold', links: [{ a: -1, b: 1, extraDelayMs: 50, dropRate: 0.25 }] }), speed: 20, preset: null }));
    expect(back.notices).toEqual([]);
    expect([back.scenario.partition, back.scenario.partitionRule, back.scenario.links]).toEqual([[-1, 2], 'hold', [{ a: -1, b: 1, extraDelayMs: 50, dropRate: 0.25 }]]);
    expect(decodeShare('links=1-0:slow=20').scenario.links).toEqual(decodeShare('links=0-1:slow=20').scenario.links);
  });
  for (const garbage of ['0-0:slow', '0-9:slow', '0-1', '0-1:fast=3', '0-1:lossy=2', '0-1:slow=-1', 'a-b:slow']) {
    it(`link “${garbage}” is not kept by the URL or the CLI`, () => {
      expect(decodeShare(`links=${encodeURIComponent(garbage)}`).notices).not.toEqual([]);
      expect(() => parseRunArgs(['--links', garbage])).toThrow();
    });
  }
});

describe('m values: the CLI sweep and the form read the same lists the same way', () => {
  const n = 10;
  const cases: Array<[string, number[] | null]> = [
    ['0', [0]],
    ['0,3,5,7', [0, 3, 5, 7]],
    ['0-3, 7', [0, 1, 2, 3, 7]],
    ['0-n', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    [String(n), [n]],
    [String(n + 1), null],
    ['0-11', null],
    ['3-1', null],
    ['-1', null],
    ['1.5', null],
    ['abc', null],
    ['', null],
  ];
  for (const [raw, expected] of cases) {
    it(`“${raw}” → ${expected ? expected.join(',') : 'refused'}`, () => {
      const cli = tryOr(() => parseSweepArgs(['--n', String(n), '--m', raw]));
      const { errors, plan } = validateForm({ ...defaultForm(1), n: String(n), m: raw, mode: 'pbft', trials: '1' });
      expect({ cli: cli?.command === 'sweep' ? cli.config.mValues : null, form: errors.m ? null : plan!.sweeps[0].mValues }).toEqual({ cli: expected, form: expected });
    });
  }
});

describe('the table itself', () => {
  it('every form field a parameter names exists in the form, and every number box of the form has a parameter', () => {
    const fields = Object.keys(defaultForm(1));
    const named = PARAM_LIST.map((p) => p.form).filter((f) => f !== undefined);
    for (const f of named) expect(fields).toContain(f);
    expect([...named].sort()).toEqual([...fields].sort());
  });
  it('URL keys and CLI flags are unique where they meet', () => {
    const urls = PARAM_LIST.map((p) => p.url).filter(Boolean);
    expect(new Set(urls).size).toBe(urls.length);
    for (const scope of ['scenario', 'sweep', 'search'] as const) {
      const flags = PARAM_LIST.filter((p) => p.scopes.includes(scope) || (scope === 'scenario' && p.scopes.includes('run'))).map((p) => p.cli).filter(Boolean);
      expect(new Set(flags).size, scope).toBe(flags.length);
    }
  });
  it('defaults are within their ranges and accepted by the schema', () => {
    for (const p of PARAM_LIST) {
      if (p.type === 'number' && p.default !== undefined) expect(p.default >= p.min && p.default <= p.max && (!p.integer || Number.isInteger(p.default)), p.key).toBe(true);
      if (p.type === 'choice' && p.default !== undefined) expect(p.choices).toContain(p.default);
    }
  });
});

// ───────────────────────────── L ≥ 2K ─────────────────────────────

describe('the watermark window is at least twice the checkpoint interval (L ≥ 2K) at every entry point', () => {
  it('a reader given K but not L derives L = max(16, 2K)', () => {
    const cli = parseRunArgs(['--checkpoint-interval', '17']);
    expect(cli.command === 'run' && [cli.scenario.checkpointInterval, cli.scenario.watermarkWindow]).toEqual([17, 34]);
    const small = parseRunArgs(['--checkpoint-interval', '2']);
    expect(small.command === 'run' && small.scenario.watermarkWindow).toBe(16);
    const fromScenario = parseRunArgs(['--scenario', '{"checkpointInterval":17}']);
    expect(fromScenario.command === 'run' && fromScenario.scenario.watermarkWindow).toBe(34);
    expect(decodeShare('k=17').scenario.watermarkWindow).toBe(34);
    expect(decodeShare('k=17').notices).toEqual([]);
    const { watermarkWindow: _l, ...withoutWindow } = defaultScenario({ checkpointInterval: 17 });
    expect(importScenario(withoutWindow)?.scenario.watermarkWindow).toBe(34);
    expect(defaultScenario({ checkpointInterval: 17 }).watermarkWindow).toBe(34);
  });

  it('a reader given both refuses (or, in a link, corrects) L < 2K, and keeps L = 2K', () => {
    expect(() => parseRunArgs(['--checkpoint-interval', '17', '--watermark-window', '20'])).toThrow(/--watermark-window \(20\) must be at least twice --checkpoint-interval \(2 × 17 = 34\)/);
    expect(() => parseRunArgs(['--scenario', '{"checkpointInterval":17,"watermarkWindow":20}'])).toThrow(/at least twice/);
    const exact = parseRunArgs(['--scenario', '{"watermarkWindow":2}', '--checkpoint-interval', '1']);
    expect(exact.command === 'run' && [exact.scenario.checkpointInterval, exact.scenario.watermarkWindow]).toEqual([1, 2]);
    const link = decodeShare('k=17&wm=20');
    expect(link.scenario.watermarkWindow).toBe(34);
    expect(link.notices).toEqual(['Ignored wm: the watermark window (20) must be at least twice the checkpoint interval (2 × 17); using 34.']);
    expect(importScenario(defaultScenario({ checkpointInterval: 17, watermarkWindow: 20 }))).toBeUndefined();
    expect(() => importRun(exportRun(defaultScenario({ checkpointInterval: 17, watermarkWindow: 20 }), [], []))).toThrow(/less than twice its checkpoint interval/);
  });

  it('says so where a user sets K', () => {
    expect(PARAMS.checkpointInterval.description).toMatch(/L ≥ 2K/);
    expect(PARAMS.watermarkWindow.description).toMatch(/at least 2K/);
  });
});
