import { ADVERSARIES, type AdversaryTable } from '../../adversary';

/**
 * Which adversary acts for each behaviour in HotStuff. The protocol-neutral ones act on roles: the leader's phase
 * messages are its proposals (an equivocating leader shows half the replicas a leaf with another genuine request), votes
 * go to the leader alone. Behaviours about PBFT's view change and the seed's liar do not apply (the descriptor's
 * `behaviours` and the parameter rules refuse them), so their rows are never used.
 */
export const HOTSTUFF_ADVERSARIES: AdversaryTable = ADVERSARIES;
