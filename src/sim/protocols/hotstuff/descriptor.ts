import type { MessageWords, ProtocolDescriptor } from '../descriptor';
import { clientMessage } from '../pbft/descriptor';

/**
 * Basic HotStuff's messages as the paper writes them: the leader's PREPARE, PRE-COMMIT, COMMIT and DECIDE (each but the
 * first carrying the QC of the phase before), the replicas' votes (to the leader only) and NEW-VIEW (to the next
 * leader, carrying prepareQC). The leader's phase messages play the part of a proposal: a liar withholds or splits them.
 */
export const HOTSTUFF_MESSAGES: readonly MessageWords[] = [
  clientMessage('REQUEST'),
  { type: 'HS_NEW_VIEW', label: 'NEW-VIEW', abbreviation: 'NV', colour: 'hs-new-view', role: 'view-change', numbered: false },
  { type: 'HS_PREPARE', label: 'PREPARE', abbreviation: 'P', colour: 'hs-prepare', role: 'proposal', numbered: true },
  { type: 'HS_VOTE_PREPARE', label: 'vote PREPARE', abbreviation: 'vP', colour: 'hs-vote-prepare', role: 'vote', numbered: true },
  { type: 'HS_PRE_COMMIT', label: 'PRE-COMMIT', abbreviation: 'PC', colour: 'hs-pre-commit', role: 'proposal', numbered: true },
  { type: 'HS_VOTE_PRE_COMMIT', label: 'vote PRE-COMMIT', abbreviation: 'vPC', colour: 'hs-vote-pre-commit', role: 'vote', numbered: true },
  { type: 'HS_COMMIT', label: 'COMMIT', abbreviation: 'C', colour: 'hs-commit', role: 'proposal', numbered: true },
  { type: 'HS_VOTE_COMMIT', label: 'vote COMMIT', abbreviation: 'vC', colour: 'hs-vote-commit', role: 'vote', numbered: true },
  { type: 'HS_DECIDE', label: 'DECIDE', abbreviation: 'D', colour: 'hs-decide', role: 'proposal', numbered: true },
  clientMessage('REPLY'),
];

/** Basic HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, PODC 2019, Algorithm 2). */
export const hotstuff: ProtocolDescriptor = {
  mode: 'hotstuff',
  name: 'HotStuff',
  messages: HOTSTUFF_MESSAGES,
  finalVote: 'HS_VOTE_COMMIT',
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  phaseNames: { 'pre-prepared': 'voted PREPARE', prepared: 'locked (lockedQC)', committed: 'decided (commitQC)', executed: 'executed' },
  quorums: {
    // "prepared" is where HotStuff locks: a precommitQC of n − f PRE-COMMIT votes.
    prepared: { votes: 'HS_VOTE_PRE_COMMIT', formula: () => 'n − f' },
    committed: { votes: 'HS_VOTE_COMMIT', formula: () => 'n − f' },
  },
  behaviours: ['silent', 'slow', 'omit', 'equivocate', 'replay', 'flood', 'collude'],
  narration: {
    sendsOn: (phase, byPrimary) => (phase === 'pre-prepared' ? (byPrimary ? ['HS_PREPARE', 'HS_VOTE_PREPARE'] : ['HS_VOTE_PREPARE']) : phase === 'prepared' ? ['HS_VOTE_COMMIT'] : []),
    afterDeed: (verdict, role, { f }) => {
      if (role === 'proposal') {
        if (verdict === 'withheld') return 'The replicas hear nothing from this leader; their view timers will take them to the next view, each sending its prepareQC to the next leader in a NEW-VIEW.';
        if (verdict === 'each-different' || verdict === 'split' || verdict === 'forged') {
          return 'Each replica votes for the leaf it was shown, to the leader alone; a QC needs n − f votes for one leaf, so at most one version can be certified in this view.';
        }
        if (verdict === 'partial') return 'The replicas left out hear nothing; a QC still forms if n − f votes reach the leader, otherwise the view times out.';
        return null;
      }
      if (role === 'vote') {
        if (verdict === 'withheld') return `The leader needs n − f votes without it: quorums leave room for f = ${f} that say nothing.`;
        if (verdict === 'forged' || verdict === 'split' || verdict === 'each-different') return 'A vote counts only for the node it names, and only the leader counts it.';
        return null;
      }
      if (role === 'view-change' && verdict === 'withheld') return 'The next leader needs n − f NEW-VIEWs without it.';
      return null;
    },
    prePrepared: (e, { who, n }, byPrimary) =>
      byPrimary
        ? `The leader of view ${e.view} (${who}) extends the highest prepareQC it was sent with a new leaf at height ${e.seq} and multicasts PREPARE to the ${n - 1} others; it votes for it itself.`
        : `${who} found the leaf at height ${e.seq} safe — it extends its locked node, or its QC is newer than the lock — and votes PREPARE, to the leader only.`,
    prepared: (e, { who, n, f }) =>
      `${who} holds the precommitQC for height ${e.seq} (n − f = ${n - f} PRE-COMMIT votes): it locks on it (lockedQC) and votes COMMIT. From now on it votes only for leaves that extend this node, unless shown a newer QC.`,
    committed: (e, { who, n, f }) => `${who} received DECIDE with the commitQC for height ${e.seq} (n − f = ${n - f} COMMIT votes): the node and its ancestors are decided.`,
    executed: (e, { who, sent }) =>
      `${who} executes height ${e.seq}${sent?.has('REPLY') ? ' and replies to the client' : ' (it sends no REPLY now)'}, then enters the next view and sends NEW-VIEW with its prepareQC to the next leader.`,
    voteArrived: (msg, { who, n, f }) => {
      if (msg.type === 'HS_VOTE_PREPARE' || msg.type === 'HS_VOTE_PRE_COMMIT' || msg.type === 'HS_VOTE_COMMIT') {
        return `The leader ${who} counts this vote for height ${msg.seq}; n − f = ${n - f} signed votes make a quorum certificate it can show everyone.`;
      }
      return null;
    },
  },
  parameters: ['f', 'n', 'seed', 'minDelayMs', 'maxDelayMs', 'dropRate', 'reorderRate', 'malicious', 'requests', 'concurrency', 'viewChangeTimeoutMs', 'clientTimeoutMs'],
  picture: { watermarks: false, slotFollowsRequest: true, viewChange: true },
  trialSuccess: 'client-accepted',
};
