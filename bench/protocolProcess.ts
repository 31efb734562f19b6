/** `protocolProcess.ts <protocol> <n> <messages>`: one protocol's figure at one size, as JSON on stdout (see benchProtocolApart). */
import type { ProtocolMode } from '../src/sim/types';
import { benchProtocol } from './protocols';

const [protocol, n, target] = process.argv.slice(2);
process.stdout.write(JSON.stringify(benchProtocol(protocol as ProtocolMode, Number(n), Number(target))));
