import { ADVERSARIES, type AdversaryTable } from '../../adversary';

/**
 * Which adversary acts for each behaviour in Tendermint. The protocol-neutral ones act on roles: an equivocating
 * proposer shows half the replicas another genuine request, an equivocating voter names one value to some and another to
 * the rest. Behaviours about PBFT's view change and the seed's liar do not apply (the descriptor's `behaviours` and the
 * parameter rules refuse them), so their rows are never used.
 */
export const TENDERMINT_ADVERSARIES: AdversaryTable = ADVERSARIES;
