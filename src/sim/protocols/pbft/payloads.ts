import type { ClientRequest, NodeId } from '../../types';

/** C: proof that a checkpoint is stable — 2f+1 replicas signed the same state digest at `seq`. */
export interface CheckpointProof {
  seq: number;
  digest: string;
  signers: NodeId[];
}

/** P's elements: a request prepared at `seq` in `view` (its PRE-PREPARE plus 2f matching PREPAREs). */
export interface PreparedCertificate {
  seq: number;
  view: number;
  digest: string;
  request: ClientRequest | null;
}

/** VIEW-CHANGE⟨v+1, n, C, P, i⟩ — msg.view is v+1, msg.seq is n (the last stable checkpoint). */
export interface ViewChangePayload {
  stable: CheckpointProof;
  prepared: PreparedCertificate[];
}

/** One entry of O: a PRE-PREPARE the new primary re-issues in the new view (null request for a gap). */
export interface ReProposal {
  seq: number;
  digest: string;
  request: ClientRequest | null;
}

export interface NewViewPayload {
  /** V: the 2f+1 VIEW-CHANGE messages the new primary based its decision on. */
  viewChanges: Array<{ sender: NodeId; payload: ViewChangePayload }>;
  /** O, with min-s (the stable checkpoint it starts from). */
  minSeq: number;
  checkpointDigest: string;
  prePrepares: ReProposal[];
}

export interface CheckpointPayload {
  /** The state digest after executing `seq`. */
  stateDigest: string;
}
