import type { ProtocolKnowledge } from '../adversary/types';
import type { MessageRole, MessageType } from '../types';
import type { ProtocolDescriptor } from './descriptor';

/** What a protocol's plug-in adds for its liars beyond its vocabulary (each optional: a protocol may have none). */
export type ProtocolLies = Partial<Pick<ProtocolKnowledge, 'forgeDecision' | 'nullDigest' | 'malformedPayloads' | 'viewChange'>>;

/**
 * What a lie needs to know of a protocol: what its vocabulary already says (each message's role, the final vote), and
 * what its plug-in adds (how to forge its new-view decision, its null request, payloads of its shape that are malformed).
 */
export function knowledgeOf(protocol: ProtocolDescriptor, lies: ProtocolLies = {}): ProtocolKnowledge {
  const roles = new Map<MessageType, MessageRole>(protocol.messages.map((m) => [m.type, m.role]));
  return {
    // A type the protocol does not speak is nobody's proposal or vote: adversaries pass it on as said.
    roleOf: (type) => roles.get(type) ?? 'request',
    finalVote: protocol.finalVote,
    ...lies,
  };
}
