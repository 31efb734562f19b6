import type { NodeId } from '../../types';
import type { MessageWords, ProtocolDescriptor } from '../descriptor';
import { clientMessage } from '../pbft/descriptor';

/** The leader of view v: replica v mod n (the pacemaker's round robin). */
export function leaderOf(view: number, n: number): NodeId {
  return view % n;
}

/**
 * Basic HotStuff's messages as the paper writes them: the leader's PREPARE, PRE-COMMIT, COMMIT and DECIDE (each but the
 * first carrying the QC of the phase before), the replicas' votes (to the leader only) and NEW-VIEW (to the next
 * leader, carrying prepareQC). The leader's phase messages play the part of a proposal: a liar withholds or splits them.
 */
export const HOTSTUFF_MESSAGES: readonly MessageWords[] = [
  clientMessage('REQUEST'),
  { type: 'HS_NEW_VIEW', label: 'NEW-VIEW', abbreviation: 'NV', colour: 'hs-new-view', role: 'view-change', numbered: false, toLeader: true },
  { type: 'HS_PREPARE', label: 'PREPARE', abbreviation: 'P', colour: 'hs-prepare', role: 'proposal', numbered: true },
  { type: 'HS_VOTE_PREPARE', label: 'vote PREPARE', abbreviation: 'vP', colour: 'hs-vote-prepare', role: 'vote', numbered: true, toLeader: true },
  { type: 'HS_PRE_COMMIT', label: 'PRE-COMMIT', abbreviation: 'PC', colour: 'hs-pre-commit', role: 'proposal', numbered: true },
  { type: 'HS_VOTE_PRE_COMMIT', label: 'vote PRE-COMMIT', abbreviation: 'vPC', colour: 'hs-vote-pre-commit', role: 'vote', numbered: true, toLeader: true },
  { type: 'HS_COMMIT', label: 'COMMIT', abbreviation: 'C', colour: 'hs-commit', role: 'proposal', numbered: true },
  { type: 'HS_VOTE_COMMIT', label: 'vote COMMIT', abbreviation: 'vC', colour: 'hs-vote-commit', role: 'vote', numbered: true, toLeader: true },
  { type: 'HS_DECIDE', label: 'DECIDE', abbreviation: 'D', colour: 'hs-decide', role: 'proposal', numbered: true },
  clientMessage('REPLY'),
];

/** Basic HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, PODC 2019, Algorithm 2). */
export const hotstuff: ProtocolDescriptor = {
  mode: 'hotstuff',
  name: 'HotStuff',
  messages: HOTSTUFF_MESSAGES,
  finalVote: 'HS_VOTE_COMMIT',
  proposal: 'HS_PREPARE',
  proposerOf: ({ view }, n) => leaderOf(view, n),
  quorumOf: (n, f) => n - f,
  terms: { view: 'view', leader: 'leader', follower: 'not the leader of this view', timer: 'view timer' },
  timers: { view: 'view timer (pacemaker): waiting for a new QC; when it fires, the replica moves to the next view and sends NEW-VIEW with its prepareQC to that view’s leader' },
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  phaseNames: { 'pre-prepared': 'voted PREPARE', prepared: 'locked (lockedQC)', committed: 'decided (commitQC)', executed: 'executed' },
  quorums: {
    // "prepared" is where HotStuff locks: a precommitQC of n − f PRE-COMMIT votes.
    prepared: { votes: 'HS_VOTE_PRE_COMMIT', formula: () => 'n − f' },
    committed: { votes: 'HS_VOTE_COMMIT', formula: () => 'n − f' },
  },
  behaviours: ['silent', 'slow', 'omit', 'equivocate', 'replay', 'flood', 'collude'],
  narration: {
    // The leader's own votes never travel: it signs them for its QC.
    sendsOn: (phase, byPrimary) => (byPrimary ? (phase === 'pre-prepared' ? ['HS_PREPARE'] : []) : phase === 'pre-prepared' ? ['HS_VOTE_PREPARE'] : phase === 'prepared' ? ['HS_VOTE_COMMIT'] : []),
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
    executed: (e, { who, sent, n, f, entered }) => {
      const then = !entered
        ? ''
        : sent?.has('HS_NEW_VIEW')
          ? `, then enters view ${entered.view} and sends NEW-VIEW with its prepareQC to ${entered.leader}, its leader`
          : entered.leader === who
            ? `, then enters view ${entered.view}, which it leads: its own prepareQC counts as one of the n − f = ${n - f} NEW-VIEWs it waits for`
            : `, then enters view ${entered.view} (led by ${entered.leader})`;
      return `${who} executes height ${e.seq}${sent?.has('REPLY') ? ' and replies to the client' : ' (it sends no REPLY now)'}${then}.`;
    },
    voteArrived: (msg, { who, n, f }) => {
      if (msg.type === 'HS_VOTE_PREPARE' || msg.type === 'HS_VOTE_PRE_COMMIT' || msg.type === 'HS_VOTE_COMMIT') {
        return `The leader ${who} counts this vote for height ${msg.seq}; n − f = ${n - f} signed votes make a quorum certificate it can show everyone.`;
      }
      return null;
    },
    leaderMessageArrived: (msg, { who, sent, n, f }) =>
      msg.type === 'HS_PRE_COMMIT' && sent?.has('HS_VOTE_PRE_COMMIT')
        ? `${who} keeps the prepareQC the leader shows for height ${msg.seq} (n − f = ${n - f} PREPARE votes) as its prepareQC and votes PRE-COMMIT, to the leader only.`
        : null,
    viewMessageArrived: (msg, { who, sender, n, f }) =>
      msg.type === 'HS_NEW_VIEW'
        ? `${who}, the leader of view ${msg.view}, records ${sender}'s NEW-VIEW and the prepareQC it carries; with n − f = ${n - f} of them (its own counts) it takes the highest prepareQC as highQC and extends it.`
        : null,
    // A replica that gives up on a view tells the next leader its prepareQC (unless it is that leader); one that
    // joins a later view because it heard its leader sends nothing, so only giving up is a due NEW-VIEW.
    sendsOnView: (kind, leads) => (kind === 'view-change' && !leads ? ['HS_NEW_VIEW'] : []),
    viewChangeStarted: (e, { who, sent, n, f }, { before, after }) => {
      const then = sent?.has('HS_NEW_VIEW')
        ? `it sends NEW-VIEW with its prepareQC to ${after}, the leader of view ${e.view}, who takes the highest prepareQC of n − f = ${n - f} NEW-VIEWs as its highQC`
        : after === who
          ? `it leads view ${e.view} itself: its own prepareQC counts as one of the n − f = ${n - f} NEW-VIEWs it waits for`
          : `it sends no NEW-VIEW now`;
      return `${who}'s view timer expired with no new QC in view ${e.view - 1} (led by ${before}): the pacemaker moves it on to view ${e.view}, and ${then}. There is no view-change vote: its lock (lockedQC) keeps it safe in any view.`;
    },
    enteredView: (e, { who, sent, n, f }, { leader, decided, gaveUp, heard }) => {
      // After a decision the execution's sentence tells it; after its timer, the view change's.
      if (decided || gaveUp) return null;
      if (e.replica === e.primary) {
        return heard?.type === 'HS_NEW_VIEW'
          ? `${who} now holds n − f = ${n - f} NEW-VIEWs for view ${e.view} (its own counts) and enters it as its leader: it takes the highest prepareQC they carry as highQC, and its next proposal extends it.`
          : `${who} enters view ${e.view}, which it leads: with n − f = ${n - f} NEW-VIEWs (its own counts) it takes the highest prepareQC they carry as highQC, and its next proposal extends it.`;
      }
      const told = sent?.has('HS_NEW_VIEW') ? `; it sends NEW-VIEW with its prepareQC to ${leader}` : '';
      if (heard && heard.from === e.primary) return `${who} heard ${leader}, the leader of view ${e.view}, show a valid QC, so it joins view ${e.view}${told}.`;
      return `${who} enters view ${e.view}, led by ${leader}${told}.`;
    },
    viewIntro: (kind, view, { who }) => (kind === 'view-change' ? `${who}'s view timer expired: it moves on to view ${view}.` : `${who} enters view ${view}, which it leads.`),
    proposed: (seqs, view, { who }) => `The leader of view ${view} (${who}) proposes a leaf at height ${seqs.join(' and ')}.`,
    // Its messages name the node (parent, height, view and request hashed); its phase events, the request.
    namesHeldDigest: false,
    called: 'HotStuff',
    quorumWords: ({ n, f }) => `n − f = ${n - f}`,
    clientSends: (timestamp, retransmit, { f }) =>
      retransmit
        ? `The client waited without f+1 = ${f + 1} matching replies, so it retransmits request ${timestamp} to every replica: each relays it to the others, and their view timers leave behind a leader that does nothing with it.`
        : `The client sends request ${timestamp} to one replica, which relays it to every other: leaders rotate, and whichever leads next must know what waits.`,
    relaysRequest: 'relays it to every replica, as leaders rotate and each must know what waits; its view timer now runs while the request waits, so a silent leader is left behind',
    timerStarted: (deadline, { who }) => `${who} starts its view timer: if no new QC forms by ${deadline}, the pacemaker moves it to the next view.`,
  },
  parameters: ['f', 'n', 'seed', 'minDelayMs', 'maxDelayMs', 'dropRate', 'reorderRate', 'malicious', 'requests', 'concurrency', 'viewChangeTimeoutMs', 'clientTimeoutMs'],
  picture: { watermarks: false, slotFollowsRequest: true, viewChange: true },
  trialSuccess: 'client-accepted',
};
