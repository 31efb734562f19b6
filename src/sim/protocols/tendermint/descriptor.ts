import type { NodeId } from '../../types';
import { quorumText, type MessageWords, type ProtocolDescriptor } from '../descriptor';
import { clientMessage, quorumSize } from '../pbft/descriptor';

/** The proposer of height h, round r: replica (h + r) mod n (Algorithm 1's proposer(h, r), round robin). */
export function proposerOf(height: number, round: number, n: number): NodeId {
  return (height + round) % n;
}

/** Tendermint's messages as the paper names them: every one goes to every replica. */
export const TENDERMINT_MESSAGES: readonly MessageWords[] = [
  clientMessage('REQUEST'),
  { type: 'PROPOSAL', label: 'PROPOSAL', abbreviation: 'Pr', colour: 'proposal', role: 'proposal', numbered: true },
  { type: 'PREVOTE', label: 'PREVOTE', abbreviation: 'PV', colour: 'prevote', role: 'vote', numbered: true },
  { type: 'PRECOMMIT', label: 'PRECOMMIT', abbreviation: 'PC', colour: 'precommit', role: 'vote', numbered: true },
  clientMessage('REPLY'),
];

/** Tendermint (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus", 2018, Algorithm 1). */
export const tendermint: ProtocolDescriptor = {
  mode: 'tendermint',
  name: 'Tendermint',
  messages: TENDERMINT_MESSAGES,
  finalVote: 'PRECOMMIT',
  proposal: 'PROPOSAL',
  // A slot's number is its height, its view the round.
  proposerOf: ({ view, seq }, n) => proposerOf(seq, view, n),
  quorumOf: quorumSize,
  terms: { view: 'round', leader: 'proposer', follower: 'not the proposer of this round', timer: 'round timeout (propose, prevote or precommit)' },
  timers: {
    propose: 'timeoutPropose: waiting for the proposer’s PROPOSAL; when it expires, the replica prevotes nil',
    prevote: 'timeoutPrevote: 2f+1 PREVOTEs arrived, none yet for one value; when it expires, the replica precommits nil',
    precommit: 'timeoutPrecommit: 2f+1 PRECOMMITs arrived, none yet deciding; when it expires, the round ends and the next proposer’s begins',
  },
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  phaseNames: { 'pre-prepared': 'prevoted', prepared: 'locked (precommitted)', committed: 'decided', executed: 'executed' },
  quorums: {
    // A replica locks on 2f+1 PREVOTEs for the proposal, and decides on 2f+1 PRECOMMITs.
    prepared: { votes: 'PREVOTE', formula: () => '2f+1' },
    committed: { votes: 'PRECOMMIT', formula: () => '2f+1' },
  },
  behaviours: ['silent', 'slow', 'omit', 'equivocate', 'replay', 'flood', 'collude'],
  narration: {
    sendsOn: (phase, byPrimary) => (phase === 'pre-prepared' ? (byPrimary ? ['PROPOSAL', 'PREVOTE'] : ['PREVOTE']) : phase === 'prepared' ? ['PRECOMMIT'] : []),
    afterDeed: (verdict, role, { f, quorum }) => {
      if (role === 'proposal') {
        if (verdict === 'withheld') return 'Nobody hears a proposal: each replica’s timeoutPropose expires, it prevotes nil, and the round ends; the next round has another proposer.';
        if (verdict === 'each-different' || verdict === 'split' || verdict === 'forged') {
          return `Each replica prevotes the value it was shown (if it is not locked on another); only a value with ${quorumText(f, quorum)} PREVOTEs gets locked, so at most one can be.`;
        }
        if (verdict === 'partial') return 'The replicas left out prevote nil when timeoutPropose expires.';
        return null;
      }
      if (role === 'vote') {
        if (verdict === 'withheld') return `The others need ${quorumText(f, quorum)} votes without it: quorums leave room for f = ${f} that say nothing.`;
        if (verdict === 'forged' || verdict === 'split' || verdict === 'each-different') return 'A vote counts only for the value it names; one liar can add to two quorums, but f of them cannot make two 2f+1 quorums.';
        return null;
      }
      return null;
    },
    prePrepared: (e, { who }, byPrimary) =>
      byPrimary
        ? `The proposer of height ${e.seq}, round ${e.view} (${who}) multicasts PROPOSAL — its validValue if it has one, else a waiting request — and prevotes it.`
        : `${who} prevotes the value proposed for height ${e.seq} in round ${e.view}: it is not locked, or locked on this value (or the proposal shows 2f+1 PREVOTEs from a round at or after its lock).`,
    prepared: (e, { who, f, quorum }) =>
      `${who} saw ${quorumText(f, quorum)} PREVOTEs for the proposal of round ${e.view}: it locks on the value (lockedValue, lockedRound = ${e.view}) and multicasts PRECOMMIT. In later rounds it prevotes only this value, unless shown 2f+1 PREVOTEs for another from a round after its lock.`,
    committed: (e, { who, f, quorum }) => `${who} holds the proposal and ${quorumText(f, quorum)} PRECOMMITs for it: it decides height ${e.seq}.`,
    executed: (e, { who, sent, entered }) =>
      `${who} executes height ${e.seq}${sent?.has('REPLY') ? ' and replies to the client' : ' (it sends no REPLY now)'}, resets its locks and starts height ${e.seq + 1} at round 0${entered ? `, whose proposer is ${entered.leader}` : ''}.`,
    voteArrived: (msg, { who, f, quorum }) => {
      if (msg.type === 'PREVOTE') return `${who} counts this PREVOTE for height ${msg.seq}, round ${msg.view}; ${quorumText(f, quorum)} for the proposal make it lock and PRECOMMIT.`;
      if (msg.type === 'PRECOMMIT') return `${who} counts this PRECOMMIT for height ${msg.seq}, round ${msg.view}; ${quorumText(f, quorum)} for one value decide it.`;
      return null;
    },
    // No VIEW-CHANGE, no NEW-VIEW: a round ends by its timeouts, or when f+1 replicas are seen in a later one.
    leaderMessageArrived: () => null,
    viewMessageArrived: () => null,
    sendsOnView: () => [],
    viewChangeStarted: (e, { who }) => `${who} moves on to round ${e.view}. Tendermint has no view-change protocol: a round ends by its timeouts, and locks carry safety into the next.`,
    enteredView: (e, { who, f }, { leader, decided, timedOut, heard }) => {
      // A new height after a decision: the execution's sentence tells it.
      if (decided) return null;
      const safe = 'Tendermint has no view-change protocol: the round simply ends, and a replica’s lock (lockedValue, lockedRound) carries safety into the next one.';
      if (timedOut) return `${who}'s timeoutPrecommit expired: round ${e.view - 1} decided nothing, so it starts round ${e.view}, whose proposer is ${leader}. ${safe}`;
      if (heard) return `${who} saw messages of round ${e.view} from f+1 = ${f + 1} replicas, so at least one honest replica is there: it skips ahead to round ${e.view}, whose proposer is ${leader}. ${safe}`;
      return `${who} starts round ${e.view}, whose proposer is ${leader}.`;
    },
    viewIntro: (kind, view, { who }) => (kind === 'view-change' ? `${who} moves on to round ${view}.` : `${who} starts round ${view}, where it is the proposer.`),
    proposed: (seqs, view, { who }) => `The proposer of height ${seqs.join(' and ')}, round ${view} (${who}) proposes a value.`,
    namesHeldDigest: true,
    called: 'Tendermint',
    quorumWords: ({ f, quorum }) => quorumText(f, quorum),
    clientSends: (timestamp, retransmit, { f }) =>
      retransmit
        ? `The client waited without f+1 = ${f + 1} matching replies, so it retransmits request ${timestamp} to every replica: each relays it to the others, and their timeouts move past a proposer that does nothing with it.`
        : `The client sends request ${timestamp} to one replica, which relays it to every other: proposers rotate with height and round, and whichever proposes next must know what waits.`,
    relaysRequest: 'relays it to every replica, as proposers rotate and each must know what waits; its timeouts may now run, so a silent proposer costs a round, not the height',
    timerStarted: (deadline, { who }) => `${who} starts a timeout of its round: if its step is not done by ${deadline}, it moves on (it prevotes nil, precommits nil, or starts the next round).`,
  },
  parameters: ['f', 'n', 'seed', 'minDelayMs', 'maxDelayMs', 'dropRate', 'reorderRate', 'malicious', 'requests', 'concurrency', 'viewChangeTimeoutMs', 'clientTimeoutMs'],
  // Rounds play the part of views: a faulty proposer is replaced at the next round, without a view-change protocol.
  picture: { watermarks: false, slotFollowsRequest: true, viewChange: true },
  trialSuccess: 'client-accepted',
};
