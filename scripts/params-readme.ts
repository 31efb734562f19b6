/** Rewrites README.md's Parameters table from the parameter table (src/sim/params.ts): `npm run params:readme`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withParameters } from '../src/sim/paramsDoc';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withParameters(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md: the Parameters table is up to date.' : 'README.md: the Parameters table was rewritten.');
