/**
 * The parameter table in words: the CLI's option lines and the README's Parameters section are both printed from
 * src/sim/params.ts, so neither can drift from what the readers accept (paramsDoc.test.ts fails when the README is
 * out of date; `npm run params:readme` rewrites it).
 */
import { seedExperiment } from './experiment';
import { PARAM_LIST, PARAMS, RULES, shownRange, toShown, type Param } from './params';
import { defaultScenario } from './scenario';

const en = (x: number) => x.toLocaleString('en');

/** What follows a flag: <int>, <ms>, <0..1>, pbft|seed, <list>. */
function placeholder(p: Param): string {
  if (p.type === 'choice') return p.choices.join('|');
  if (p.type === 'list') return p.syntax;
  if (p.type === 'flag') return '';
  if (p.integer) return '<int>';
  if (p.unit === 'ms') return '<ms>';
  return `<${p.min}..${p.max}>`;
}

function formatDefault(p: Param, value: unknown): string | undefined {
  if (value === undefined) return p.defaultText;
  if (p.type === 'flag') return value ? 'on' : 'off';
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * "  --f <int>                 faults tolerated; … (0–33; default 1)". `defaults` are the command's own (a sweep's
 * come from seedExperiment), by the parameter's key.
 */
export function cliOptionLines(params: readonly Param[], defaults: Record<string, unknown> = {}): string[] {
  return params
    .filter((p) => p.cli !== undefined)
    .map((p) => {
      const notes: string[] = [];
      if (p.type === 'number') notes.push(`${p.min}–${p.max}`);
      if (p.type === 'list') notes.push(`e.g. ${p.example}`);
      const byDefault = formatDefault(p, p.key in defaults ? defaults[p.key] : p.default);
      if (byDefault !== undefined) notes.push(`default ${byDefault}`);
      return `  ${`${p.cli} ${placeholder(p)}`.padEnd(27)} ${p.description}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    });
}

const cell = (text: string) => text.replaceAll('|', '\\|');
const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}.`;

function defaultCell(p: Param): string {
  const scenario = defaultScenario() as unknown as Record<string, unknown>;
  const sweep = seedExperiment() as unknown as Record<string, unknown>;
  const shown = (value: unknown) => (value === undefined ? undefined : p.type === 'number' && typeof value === 'number' ? en(toShown(p, value)) : formatDefault(p, value));
  const inScenario = p.scopes.includes('scenario');
  // A scenario's malicious map is not a value to print; its default is in words.
  const own = (p.type === 'list' && inScenario ? undefined : shown(inScenario ? scenario[p.key] : p.scopes.includes('sweep') ? sweep[p.key] : undefined)) ?? shown(p.default) ?? p.defaultText ?? '—';
  const notes: string[] = [];
  if (inScenario && p.scopes.includes('sweep')) {
    const inSweep = shown(sweep[p.key]);
    if (inSweep !== undefined && inSweep !== own) notes.push(`sweep: ${inSweep}`);
  }
  if ((p.type === 'choice' || p.type === 'list') && p.formDefault !== undefined) notes.push(`form: ${p.formDefault}`);
  return notes.length ? `${own} (${notes.join('; ')})` : own;
}

/** A behaviour's knob travels inside the malicious list ("2:omit=0.3"), a link's inside the links list ("0-1:slow=100"). */
function urlCell(p: Param): string {
  if (p.scopes.includes('behaviour')) return `in \`${PARAMS.malicious.url}\``;
  if (p.scopes.includes('link')) return `in \`${PARAMS.links.url}\``;
  return p.url ? `\`${p.url}\`` : '—';
}

function cliCell(p: Param): string {
  if (p.scopes.includes('behaviour')) return `in \`${PARAMS.malicious.cli}\``;
  if (p.scopes.includes('link')) return `in \`${PARAMS.links.cli}\``;
  if (p.cli === undefined) return '—';
  const flags: string[] = [];
  if (p.scopes.includes('scenario') || p.scopes.includes('run')) flags.push(`\`${p.cli}\``);
  if (p.scopes.includes('sweep')) flags.push(`\`sweep ${p.cli}\``);
  if (p.scopes.includes('search')) flags.push(`\`search ${p.cli}\``);
  const stored = p.type === 'number' && p.scale !== 1 ? ` (${p.min}–${p.max})` : '';
  return flags.join(', ') + stored;
}

function rangeCell(p: Param): string {
  if (p.type === 'choice') return cell(p.choices.join(', '));
  if (p.type === 'list') return p.range;
  if (p.type === 'flag') return 'on, off';
  const { min, max } = shownRange(p);
  return `${en(min)}–${en(max)}${p.integer ? ', whole' : ''}`;
}

/** The README's Parameters section (between its markers). */
export function parametersMarkdown(): string {
  const rows = PARAM_LIST.map((p) =>
    [p.label, urlCell(p), cliCell(p), rangeCell(p), p.type === 'number' && p.unit ? p.unit : '', cell(defaultCell(p)), cell(sentence(p.description))].join(' | '),
  );
  return [
    '| Parameter | URL | CLI | Range | Unit | Default | Description |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
    `Rates are fractions (0–1) in a scenario, a run file and the CLI, and percent in the URL, the sliders and the form. ${PARAMS.omitProbability.label} and ${PARAMS.extraDelayMs.label.toLowerCase()} are the knobs of the *omit* and *slow* behaviours; ${PARAMS.linkDelayMs.label.toLowerCase()} and ${PARAMS.linkDropRate.label.toLowerCase()} those of a *slow* and a *lossy* link. Rules between parameters:`,
    '',
    ...Object.values(RULES).map((r) => `- ${r}`),
  ].join('\n');
}

export const README_MARKERS = { start: '<!-- params:start (generated by npm run params:readme from src/sim/params.ts) -->', end: '<!-- params:end -->' };

/** The README with its Parameters section regenerated; throws when the markers are missing. */
export function withParameters(readme: string): string {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) throw new Error('README.md has no parameter markers');
  return `${readme.slice(0, start + README_MARKERS.start.length)}\n${parametersMarkdown()}\n${readme.slice(end)}`;
}
