import { ADVERSARIES, type AdversaryTable } from '../../adversary';

/**
 * Which adversary acts for each behaviour in Chained HotStuff: the protocol-neutral ones act on roles — the leader's
 * PROPOSAL is its proposal (an equivocating leader shows half the replicas a node with another genuine request), the
 * generic vote goes to the next leader alone.
 */
export const CHAINED_ADVERSARIES: AdversaryTable = { ...ADVERSARIES };
