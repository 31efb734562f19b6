import type { NodeId } from '../../types';
import type { MessageWords, ProtocolDescriptor } from '../descriptor';
import { clientMessage } from '../pbft/descriptor';

/** How many consecutive views each leader keeps. */
export const VIEWS_PER_LEADER = 2;

/**
 * The leader of view v: replica ⌊v / 2⌋ mod n — each leader keeps two consecutive views. The paper leaves the choice to
 * the pacemaker (Algorithm 5's getLeader); a new leader every view (v mod n) cannot decide at all with one silent replica
 * of n = 4: a decision needs QCs from three consecutive views and a fourth proposal carrying the last, so four honest
 * leaders in a row, and a silent one every fourth view leaves three. With two views each, two honest leaders in a row
 * suffice, and with f faulty of n ≥ 3f + 1 some two are always adjacent.
 */
export function leaderOf(view: number, n: number): NodeId {
  return Math.floor(view / VIEWS_PER_LEADER) % n;
}

/**
 * Chained HotStuff's messages as Algorithm 3 writes them: the leader's GENERIC (a node with its justify QC), the
 * replicas' vote GENERIC (to the next view's leader only), NEW-VIEW (to the next leader on a timeout, carrying
 * genericQC); and DECIDE, a QC and the chain below it that a replica shows one behind it — one that executed less
 * (the three-chain that decided: the simulation's relay of a decision, as basic HotStuff's DECIDE relays a commitQC) or
 * one that sent it a NEW-VIEW for a view it has left, with an older QC (so its timer backs off no more than the others').
 */
export const CHAINED_MESSAGES: readonly MessageWords[] = [
  clientMessage('REQUEST'),
  { type: 'CHS_NEW_VIEW', label: 'NEW-VIEW', abbreviation: 'NV', colour: 'chs-new-view', role: 'view-change', numbered: false, toLeader: true },
  { type: 'CHS_GENERIC', label: 'GENERIC', abbreviation: 'G', colour: 'chs-generic', role: 'proposal', numbered: true },
  { type: 'CHS_VOTE_GENERIC', label: 'vote GENERIC', abbreviation: 'vG', colour: 'chs-vote-generic', role: 'vote', numbered: true, toLeader: true },
  { type: 'CHS_DECIDE', label: 'DECIDE', abbreviation: 'D', colour: 'chs-decide', role: 'proposal', numbered: true },
  clientMessage('REPLY'),
];

/** Chained HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, PODC 2019, Algorithm 3). */
export const chainedHotstuff: ProtocolDescriptor = {
  mode: 'chained-hotstuff',
  name: 'Chained HotStuff',
  messages: CHAINED_MESSAGES,
  finalVote: 'CHS_VOTE_GENERIC',
  proposal: 'CHS_GENERIC',
  proposerOf: ({ view }, n) => leaderOf(view, n),
  quorumOf: (n, f) => n - f,
  terms: { view: 'view', leader: 'leader', follower: 'not the leader of this view', timer: 'view timer' },
  timers: { view: 'view timer (pacemaker): waiting for the next proposal; when it fires, the replica moves to the next view and sends NEW-VIEW with its genericQC to that view’s leader' },
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  phaseNames: { 'pre-prepared': 'voted (generic vote)', prepared: 'locked (two-chain)', committed: 'decided (three-chain)', executed: 'executed' },
  quorums: {
    // One vote serves every phase: the lock is a two-chain of QCs of generic votes, the decision a three-chain.
    prepared: { votes: 'CHS_VOTE_GENERIC', formula: () => 'n − f' },
    committed: { votes: 'CHS_VOTE_GENERIC', formula: () => 'n − f' },
  },
  behaviours: ['silent', 'slow', 'omit', 'equivocate', 'replay', 'flood', 'collude'],
  narration: {
    // A replica's vote goes to the next leader (its own, when it leads next, never travels).
    sendsOn: (phase, byPrimary) => (byPrimary ? (phase === 'pre-prepared' ? ['CHS_GENERIC'] : []) : phase === 'pre-prepared' ? ['CHS_VOTE_GENERIC'] : []),
    afterDeed: (verdict, role, { f }) => {
      if (role === 'proposal') {
        if (verdict === 'withheld') return 'The replicas hear no proposal in this view; their view timers take them to the next, each sending its genericQC to the next leader in a NEW-VIEW. The chain loses a link: the nodes below wait for three direct links again.';
        if (verdict === 'each-different' || verdict === 'split' || verdict === 'forged') {
          return 'Each replica votes for the node it was shown, to the next leader; a QC needs n − f votes for one node, so at most one version can be certified in this view.';
        }
        if (verdict === 'partial') return 'The replicas left out send no vote; the next leader still forms a QC if n − f votes reach it, otherwise the view times out.';
        return null;
      }
      if (role === 'vote') {
        if (verdict === 'withheld') return `The next leader needs n − f generic votes without it: quorums leave room for f = ${f} that say nothing.`;
        if (verdict === 'forged' || verdict === 'split' || verdict === 'each-different') return 'A vote counts only for the node it names, and only the next leader counts it.';
        return null;
      }
      if (role === 'view-change' && verdict === 'withheld') return 'The next leader needs n − f NEW-VIEWs without it.';
      return null;
    },
    prePrepared: (e, { who, n }, byPrimary) =>
      byPrimary
        ? `The leader of view ${e.view} (${who}) extends the node of its highest QC (genericQC) with a new node at height ${e.seq}, justified by that QC, and multicasts it to the ${n - 1} others; it votes for it itself.`
        : `${who} found the node at height ${e.seq} safe — it extends its locked node, or its justify is newer than the lock — and sends its generic vote to the next view's leader, then moves on to that view.`,
    prepared: (e, { who }) =>
      `${who} saw a two-chain above height ${e.seq}: the node's QC and its child's QC, from consecutive views. It locks on it (lockedQC) and from now on votes only for nodes that extend it, unless shown a newer QC.`,
    committed: (e, { who }) => `${who} saw a three-chain above height ${e.seq} — three QCs from consecutive views, each on the child of the last: the node and its ancestors are decided.`,
    executed: (e, { who, sent }) => `${who} executes height ${e.seq}${sent?.has('REPLY') ? ' and replies to the client' : ' (it sends no REPLY now)'}.`,
    voteArrived: (msg, { who, n, f }) =>
      msg.type === 'CHS_VOTE_GENERIC'
        ? `${who}, the leader of view ${msg.view + 1}, counts this generic vote for height ${msg.seq}; n − f = ${n - f} of them make the QC its own proposal will carry.`
        : null,
    leaderMessageArrived: (msg, { who }) =>
      msg.type === 'CHS_DECIDE' ? `${who} checks the QC and the chain it was shown for height ${msg.seq}: it keeps the QC if newer than its own, and executes what the chain decides.` : null,
    viewMessageArrived: (msg, { who, sender, n, f }) =>
      msg.type === 'CHS_NEW_VIEW'
        ? `${who}, the leader of view ${msg.view}, records ${sender}'s NEW-VIEW and the genericQC it carries; with n − f = ${n - f} of them (its own counts) it extends the highest.`
        : null,
    sendsOnView: (kind, leads) => (kind === 'view-change' && !leads ? ['CHS_NEW_VIEW'] : []),
    viewChangeStarted: (e, { who, sent, n, f }, { before, after }) => {
      const then = sent?.has('CHS_NEW_VIEW')
        ? `it sends NEW-VIEW with its genericQC to ${after}, the leader of view ${e.view}, who extends the highest QC of n − f = ${n - f} NEW-VIEWs`
        : after === who
          ? `it leads view ${e.view} itself: its own genericQC counts as one of the n − f = ${n - f} NEW-VIEWs it waits for`
          : 'it sends no NEW-VIEW now';
      return `${who}'s view timer expired with no proposal it could vote for after view ${e.view - 2} (led by ${before}): the pacemaker moves it on to view ${e.view}, and ${then}. The chain breaks here: a decision needs three QCs from consecutive views.`;
    },
    enteredView: (e, { who, sent, n, f }, { leader, decided, gaveUp, heard }) => {
      if (decided || gaveUp) return null;
      if (heard?.type === 'CHS_GENERIC' && sent?.has('CHS_VOTE_GENERIC')) return null;
      if (e.replica === e.primary) {
        return heard?.type === 'CHS_VOTE_GENERIC'
          ? `${who} holds n − f = ${n - f} generic votes for the node of view ${e.view - 1}: their QC is its genericQC, and it leads view ${e.view}.`
          : `${who} enters view ${e.view}, which it leads: it proposes on the QC of the view before, or on the highest of n − f = ${n - f} NEW-VIEWs (its own counts).`;
      }
      const told = sent?.has('CHS_NEW_VIEW') ? `; it sends NEW-VIEW with its genericQC to ${leader}` : '';
      if (heard && heard.from === e.primary) return `${who} heard ${leader}, the leader of view ${e.view}, show a valid QC, so it joins view ${e.view}${told}.`;
      return `${who} enters view ${e.view}, led by ${leader}${told}.`;
    },
    viewIntro: (kind, view, { who }) => (kind === 'view-change' ? `${who}'s view timer expired: it moves on to view ${view}.` : `${who} enters view ${view}, which it leads.`),
    proposed: (seqs, view, { who }) => `The leader of view ${view} (${who}) proposes a node at height ${seqs.join(' and ')}.`,
    // Its messages name the node (parent, height, view, request and justify hashed); its phase events, the request.
    namesHeldDigest: false,
    called: 'Chained HotStuff',
    quorumWords: ({ n, f }) => `n − f = ${n - f}`,
    clientSends: (timestamp, retransmit, { f }) =>
      retransmit
        ? `The client waited without f+1 = ${f + 1} matching replies, so it retransmits request ${timestamp} to every replica: each relays it to the others, and whichever leads next proposes it.`
        : `The client sends request ${timestamp} to one replica, which relays it to every other: leaders change every view, and whichever leads next must know what waits.`,
    relaysRequest: 'relays it to every replica, as the leader changes every view; its view timer now runs while the request waits, so a silent leader is left behind',
    timerStarted: (deadline, { who }) => `${who} starts its view timer: if no proposal it can vote for comes by ${deadline}, the pacemaker moves it to the next view.`,
  },
  parameters: ['f', 'n', 'seed', 'minDelayMs', 'maxDelayMs', 'dropRate', 'reorderRate', 'malicious', 'requests', 'concurrency', 'viewChangeTimeoutMs', 'clientTimeoutMs'],
  picture: { watermarks: false, slotFollowsRequest: true, viewChange: true },
  trialSuccess: 'client-accepted',
};
