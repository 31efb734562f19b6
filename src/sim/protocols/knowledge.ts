import type { ProtocolKnowledge } from '../adversary/types';
import type { MessageRole, MessageType } from '../types';
import type { ProtocolDescriptor } from './descriptor';

/**
 * What a lie needs to know of a protocol: what its vocabulary already says (each message's role, the final vote), and
 * how to forge its new-view decision if it has one.
 */
export function knowledgeOf(protocol: ProtocolDescriptor, forgeDecision?: ProtocolKnowledge['forgeDecision']): ProtocolKnowledge {
  const roles = new Map<MessageType, MessageRole>(protocol.messages.map((m) => [m.type, m.role]));
  return {
    // A type the protocol does not speak is nobody's proposal or vote: adversaries pass it on as said.
    roleOf: (type) => roles.get(type) ?? 'request',
    finalVote: protocol.finalVote,
    ...(forgeDecision ? { forgeDecision } : {}),
  };
}
