/**
 * Every protocol the lab runs, by the light half of its plug-in (descriptor.ts: vocabulary, phases, quorum wording,
 * parameters). The replicas themselves are listed in ./runtime.ts, which only the simulation imports.
 */
import type { MessageType, ProtocolMode } from '../types';
import type { MessageWords, ProtocolDescriptor } from './descriptor';
import { pbft } from './pbft/descriptor';
import { seed } from './seed/descriptor';
import { hotstuff } from './hotstuff/descriptor';
import { tendermint } from './tendermint/descriptor';
import { chainedHotstuff } from './chained/descriptor';

export type { MessageWords, ProtocolDescriptor, QuorumRule } from './descriptor';

export const PROTOCOLS: Readonly<Record<ProtocolMode, ProtocolDescriptor>> = { pbft, seed, hotstuff, 'chained-hotstuff': chainedHotstuff, tendermint };

/** The descriptor of a scenario's protocol (PBFT unless it says otherwise). */
export function protocolOf(mode: ProtocolMode | undefined): ProtocolDescriptor {
  return PROTOCOLS[mode ?? 'pbft'];
}

/**
 * Every message type any protocol speaks, with its words. A type means one thing whichever protocol sends it (a test
 * holds the descriptors to that), so views that show a message without knowing the run's protocol can name it.
 */
const WORDS = new Map<MessageType, MessageWords>();
for (const p of Object.values(PROTOCOLS)) for (const m of p.messages) if (!WORDS.has(m.type)) WORDS.set(m.type, m);

export function messageWords(type: MessageType): MessageWords {
  return WORDS.get(type) ?? unknownWords(type);
}

/** A type no protocol speaks (a hand-edited run file, say) is still named, as the paper would write it. */
function unknownWords(type: string): MessageWords {
  const label = type.replace('_', '-');
  return { type: type as MessageType, label, abbreviation: label.slice(0, 2), colour: label.toLowerCase(), role: 'request', numbered: false };
}
