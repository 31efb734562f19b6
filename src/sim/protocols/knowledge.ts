import type { ProtocolKnowledge } from '../adversary/types';
import type { MessageType } from '../types';
import type { MessageRole, ProtocolDescriptor } from './descriptor';

/** The part of what a lie needs to know that a protocol's vocabulary already says: each message's role, the final vote. */
export function knowledgeOf(protocol: ProtocolDescriptor): ProtocolKnowledge {
  const roles = new Map<MessageType, MessageRole>(protocol.messages.map((m) => [m.type, m.role]));
  return {
    // A type the protocol does not speak is nobody's proposal or vote: adversaries pass it on as said.
    roleOf: (type) => roles.get(type) ?? 'request',
    finalVote: protocol.finalVote,
  };
}
