/**
 * The message colours of every protocol, read from the style sheet itself: each is defined in the light theme and in
 * both dark blocks (chosen, and the system's), its line keeps 3:1 against the page (WCAG's non-text contrast) and the
 * letters drawn in its dots keep 4.5:1. A colour added to a descriptor without one in styles.css fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../sim/protocols';

const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');

/** The custom properties of the first rule whose selector starts with `selector`. */
function block(selector: string): Map<string, string> {
  const at = css.indexOf(selector);
  if (at < 0) throw new Error(`styles.css has no ${selector}`);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

function luminance(hex: string): number {
  const v = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(v.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const light = block(':root {');
const darkChosen = block(":root[data-theme='dark'] {");
const darkSystem = block(":root:not([data-theme='light']) {");
const newColours = [...new Set([PROTOCOLS.hotstuff, PROTOCOLS.tendermint, PROTOCOLS['chained-hotstuff']].flatMap((p) => p.messages.filter((m) => m.role !== 'request' && m.type !== 'REPLY').map((m) => m.colour)))];

describe('message colours of HotStuff and Tendermint', () => {
  it('are all defined, the same in both dark blocks', () => {
    expect(newColours.length).toBeGreaterThanOrEqual(11);
    for (const c of newColours) {
      expect(light.get(`--msg-${c}`), c).toMatch(/^#[0-9a-f]{6}$/);
      expect(darkChosen.get(`--msg-${c}`), c).toMatch(/^#[0-9a-f]{6}$/);
      expect(darkSystem.get(`--msg-${c}`), c).toBe(darkChosen.get(`--msg-${c}`));
      expect(css).toContain(`.msg-${c} circle { fill: var(--msg-${c}); }`);
      expect(css).toContain(`.msg-${c} .arrow-line { stroke: var(--msg-${c}); }`);
    }
  });

  it('keep 3:1 against the page and 4.5:1 for the letters in their dots, in both themes', () => {
    for (const c of newColours) {
      const l = light.get(`--msg-${c}`)!;
      const d = darkChosen.get(`--msg-${c}`)!;
      expect(contrast(l, light.get('--bg')!), `${c} on the light page`).toBeGreaterThanOrEqual(3);
      expect(contrast(l, '#ffffff'), `white letters on ${c}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(d, darkChosen.get('--bg')!), `${c} on the dark page`).toBeGreaterThanOrEqual(3);
      expect(contrast(d, '#111111'), `dark letters on ${c}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
