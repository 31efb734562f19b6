import { BEHAVIOURS, type NodeId } from '../../types';
import { quorumText, type MessageWords, type ProtocolDescriptor, type ProtocolNarration } from '../descriptor';

/** PBFT's messages as the paper names them; the seed article's protocol speaks a subset of this vocabulary. */
export const PBFT_MESSAGES: readonly MessageWords[] = [
  { type: 'REQUEST', label: 'REQUEST', abbreviation: 'Rq', colour: 'request', role: 'request', numbered: false },
  { type: 'PRE_PREPARE', label: 'PRE-PREPARE', abbreviation: 'PP', colour: 'pre-prepare', role: 'proposal', numbered: true },
  { type: 'PREPARE', label: 'PREPARE', abbreviation: 'P', colour: 'prepare', role: 'vote', numbered: true },
  { type: 'COMMIT', label: 'COMMIT', abbreviation: 'C', colour: 'commit', role: 'vote', numbered: true },
  { type: 'REPLY', label: 'REPLY', abbreviation: 'R', colour: 'reply', role: 'reply', numbered: false },
  { type: 'CHECKPOINT', label: 'CHECKPOINT', abbreviation: 'CP', colour: 'checkpoint', role: 'checkpoint', numbered: true },
  { type: 'VIEW_CHANGE', label: 'VIEW-CHANGE', abbreviation: 'VC', colour: 'view-change', role: 'view-change', numbered: false },
  { type: 'NEW_VIEW', label: 'NEW-VIEW', abbreviation: 'NV', colour: 'new-view', role: 'new-view', numbered: false },
];

/**
 * Quorum size ⌈(n + f + 1) / 2⌉: 2f + 1 when n = 3f + 1; any two quorums share f + 1 replicas, so an honest one. The run's
 * quorum (PBFT's and Tendermint's replicas count it).
 */
export function quorumSize(n: number, f: number): number {
  return Math.ceil((n + f + 1) / 2);
}

/** PBFT's primary of view v: replica v mod n (§4.1). */
export function primaryOf(view: number, n: number): NodeId {
  return view % n;
}

/** The words of a message every protocol shares with PBFT (the client's REQUEST and the replicas' REPLY). */
export const clientMessage = (type: 'REQUEST' | 'REPLY'): MessageWords => PBFT_MESSAGES.find((m) => m.type === type)!;

/**
 * PBFT's view change in words (§4.4): a backup whose timer expires, or that sees f+1 others ask, multicasts VIEW-CHANGE;
 * the new primary multicasts NEW-VIEW on 2f+1 of them. The seed's protocol, which has none, speaks PBFT's words for
 * the rest (its request and timer sentences).
 */
export const PBFT_VIEW_NARRATION: Pick<ProtocolNarration, 'leaderMessageArrived' | 'viewMessageArrived' | 'sendsOnView' | 'viewChangeStarted' | 'enteredView' | 'namesHeldDigest' | 'viewIntro' | 'proposed' | 'called' | 'quorumWords' | 'clientSends' | 'relaysRequest' | 'timerStarted'> = {
  leaderMessageArrived: () => null,
  viewMessageArrived: (msg, { who, sender, f, quorum }) =>
    msg.type === 'VIEW_CHANGE' ? `${who} records ${sender}'s VIEW-CHANGE; the new primary needs ${quorumText(f, quorum)} of them to start the view.` : null,
  sendsOnView: (kind, leads) => (kind === 'view-change' ? ['VIEW_CHANGE'] : leads ? ['NEW_VIEW'] : []),
  viewChangeStarted: (e, { who, f }, { joined, before, after }) => {
    const why = joined
      ? `it saw f+1 = ${f + 1} replicas ask for a higher view, so at least one honest replica suspects the primary, and it joins them`
      : `its timer expired before the request executed, so it suspects the primary (${before})`;
    return `${who} starts a view change to view ${e.view}: ${why}. It stops taking part in the old view and multicasts VIEW-CHANGE with its prepared certificates; ${after} will lead the new view.`;
  },
  enteredView: (e, { who, f, quorum }, { leader }) =>
    e.replica === e.primary
      ? `${who} is the new primary of view ${e.view}: it collected ${quorumText(f, quorum)} VIEW-CHANGEs and multicast NEW-VIEW, re-proposing every request that may have been prepared so nothing committed is lost.`
      : `${who} checked the NEW-VIEW and enters view ${e.view} with ${leader} as primary; agreement resumes there.`,
  viewIntro: (kind, view, { who }) => (kind === 'view-change' ? `${who} starts a view change to view ${view}.` : `${who} takes over as the primary of view ${view}.`),
  proposed: (seqs, _view, { who }) =>
    seqs.length === 1 ? `The primary (${who}) assigns #${seqs[0]} to the request.` : `The primary (${who}) assigns ${seqs.map((s) => `#${s}`).join(' and ')} to ${seqs.length} requests.`,
  namesHeldDigest: true,
  // The seed's narration too speaks of PBFT, whose normal case it runs.
  called: 'PBFT',
  quorumWords: ({ f, quorum }) => quorumText(f, quorum),
  clientSends: (timestamp, retransmit, { f }) =>
    retransmit
      ? `The client waited without f+1 = ${f + 1} matching replies, so it retransmits request ${timestamp} to every replica: backups relay it to the primary and start timers that expose a faulty one.`
      : `The client sends request ${timestamp} to the replica it believes is the primary; the primary will give it a sequence number.`,
  relaysRequest: 'relays it to the primary; its view-change timer now waits for the request to execute, so a silent primary is noticed',
  timerStarted: (deadline, { who }) => `${who} starts its timer: if nothing executes by ${deadline}, it will suspect the primary.`,
};

/** Castro & Liskov, OSDI 1999: the full protocol with checkpoints and view change. */
export const pbft: ProtocolDescriptor = {
  mode: 'pbft',
  name: 'PBFT',
  messages: PBFT_MESSAGES,
  finalVote: 'COMMIT',
  proposal: 'PRE_PREPARE',
  proposerOf: ({ view }, n) => primaryOf(view, n),
  quorumOf: quorumSize,
  terms: { view: 'view', leader: 'primary', follower: 'backup', timer: 'view-change timer' },
  timers: { request: 'waiting for the request to execute', 'view-change': 'waiting for NEW-VIEW' },
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  phaseNames: { 'pre-prepared': 'pre-prepared', prepared: 'prepared', committed: 'committed-local', executed: 'executed' },
  behaviours: BEHAVIOURS,
  quorums: {
    // prepared = the PRE-PREPARE + 2f matching PREPAREs from distinct backups (the primary sends none).
    prepared: { votes: 'PREPARE', formula: () => '2f' },
    // committed-local = prepared + 2f+1 matching COMMITs (its own included).
    committed: { votes: 'COMMIT', formula: (f) => (f > 0 ? '2f+1' : 'quorum') },
  },
  narration: {
    sendsOn: (phase, byPrimary) => (phase === 'pre-prepared' ? [byPrimary ? 'PRE_PREPARE' : 'PREPARE'] : phase === 'prepared' ? ['COMMIT'] : []),
    afterDeed: (verdict, role, { f, quorum }) => {
      if (role === 'proposal') {
        if (verdict === 'withheld') return 'The backups hear nothing of it; only their timers, started when they learn of the request, can expose this primary and replace it by a view change.';
        if (verdict === 'each-different') return 'No two backups were told the same digest, so their PREPAREs cannot agree (a backup rejects outright a digest that is not its request’s): nothing prepares at this number, and only a view change can get past this primary.';
        if (verdict === 'forged') return 'A backup accepts a PRE-PREPARE only if its digest is the digest of the request it carries; one that matches no request is rejected.';
        if (verdict === 'split') return `A backup accepts a PRE-PREPARE only if its digest is the digest of the request it carries (one that matches no request is rejected), and only one per number in a view; the PREPAREs then tell everyone who was told what, and a version prepares only where it gathers 2f = ${2 * f} matching PREPAREs.`;
        if (verdict === 'partial') return 'The backups left out hear nothing; if too few can prepare, their timers will force a view change.';
        return null;
      }
      if (role === 'vote') {
        if (verdict === 'withheld') return `Quorums leave room for f = ${f} replicas that say nothing: the others need their ${quorumText(f, quorum)} matching votes without it.`;
        if (verdict === 'forged') return 'A vote counts only for the digest it names, so this one adds to no quorum for the request.';
        if (verdict === 'split' || verdict === 'each-different') return 'Each receiver counts it only toward the digest it names: one liar can add to two different quorums at once.';
        return null;
      }
      if (role === 'view-change' && verdict === 'withheld') return `The others need ${quorumText(f, quorum)} VIEW-CHANGEs without it.`;
      if (role === 'new-view' && verdict === 'withheld') return 'The backups wait in vain; their timers will move them on to the next view.';
      return null;
    },
    prePrepared: (e, { who, n }, byPrimary) =>
      byPrimary
        ? `The primary (${who}) assigns sequence number #${e.seq} to the request and multicasts PRE-PREPARE to the ${n - 1} backups: it proposes an order, which the backups must now confirm.`
        : `${who} accepted the PRE-PREPARE for #${e.seq} in view ${e.view} and multicasts PREPARE: it tells everyone which request the primary proposed, so a lying primary is caught.`,
    prepared: (e, { who, f, m = 0 }) =>
      `${who} is now prepared for #${e.seq}: it holds the PRE-PREPARE and ${2 * f} matching PREPAREs (2f = ${2 * f}). ${
        m > f
          ? `While at most f = ${f} replicas lie, no honest replica could prepare another request at #${e.seq} in view ${e.view}; here ${m} lie, so that promise is void.`
          : `No honest replica can prepare another request at #${e.seq} in view ${e.view}.`
      } It multicasts COMMIT.`,
    committed: (e, { who, f, quorum, m = 0 }) =>
      `${who} is committed-local for #${e.seq}: it is prepared and holds ${quorumText(f, quorum)} matching COMMITs. ${
        m > f ? `With at most f = ${f} liars a quorum would now be prepared and the order would survive any view change; here ${m} lie, so it need not.` : 'A quorum is prepared, so this order survives any view change.'
      }`,
    executed: (e, { who, sent }) =>
      sent?.has('REPLY')
        ? `${who} executed #${e.seq}: it is committed-local and every lower number is done, so it runs the operation and sends its REPLY to the client.`
        : `${who} executed #${e.seq}: it is committed-local and every lower number is done. It sends no REPLY now (a number filled with the null request, a request it had already run, a history fetched from others — or a replica that says nothing).`,
    voteArrived: (msg, { who, n, f, quorum }) => {
      if (msg.type === 'PREPARE') {
        // The primary's PRE-PREPARE stands for its vote: it sends no PREPARE, so it counts the backups' only.
        const own = msg.view % n === msg.to ? 'from backups' : '(its own included)';
        return `${who} counts this PREPARE for #${msg.seq}; it needs 2f = ${2 * f} matching ones ${own} with the PRE-PREPARE to be prepared.`;
      }
      if (msg.type === 'COMMIT') return `${who} counts this COMMIT for #${msg.seq}; it needs ${quorumText(f, quorum)} matching ones (its own included) to be committed-local.`;
      return null;
    },
    ...PBFT_VIEW_NARRATION,
  },
  parameters: [
    'f',
    'n',
    'seed',
    'minDelayMs',
    'maxDelayMs',
    'dropRate',
    'reorderRate',
    'malicious',
    'requests',
    'concurrency',
    'checkpointInterval',
    'watermarkWindow',
    'viewChangeTimeoutMs',
    'clientTimeoutMs',
  ],
  picture: { watermarks: true, slotFollowsRequest: false, viewChange: true },
  trialSuccess: 'client-accepted',
};
