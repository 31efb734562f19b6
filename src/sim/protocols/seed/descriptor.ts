import { BEHAVIOURS } from '../../types';
import type { ProtocolDescriptor } from '../descriptor';
import { PBFT_MESSAGES, PBFT_VIEW_NARRATION, primaryOf } from '../pbft/descriptor';

const SPOKEN = new Set(['REQUEST', 'PRE_PREPARE', 'PREPARE', 'COMMIT', 'REPLY']);

/**
 * The seed article's protocol: PBFT's normal case with a fixed primary (replica 0), no view change, no checkpoints,
 * and 2f+1 of everything (the primary's PREPARE counts).
 */
export const seed: ProtocolDescriptor = {
  mode: 'seed',
  name: "the seed's protocol",
  messages: PBFT_MESSAGES.filter((m) => SPOKEN.has(m.type)),
  finalVote: 'COMMIT',
  proposal: 'PRE_PREPARE',
  // View 0 for ever: replica 0.
  proposerOf: ({ view }, n) => primaryOf(view, n),
  // The article's nodes count 2f + 1 whatever n.
  quorumOf: (_n, f) => 2 * f + 1,
  // No timers: a lying primary is never replaced.
  terms: { view: 'view', leader: 'primary', follower: 'backup', timer: 'timer' },
  timers: {},
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  phaseNames: { 'pre-prepared': 'pre-prepared', prepared: 'prepared', committed: 'committed', executed: 'executed' },
  // Every lie acts as the seed's one liar (./adversaries.ts).
  behaviours: BEHAVIOURS,
  quorums: {
    prepared: { votes: 'PREPARE', formula: () => '2f+1' },
    committed: { votes: 'COMMIT', formula: () => '2f+1' },
  },
  narration: {
    // The seed's primary votes PREPARE too, for the digest it proposed.
    sendsOn: (phase, byPrimary) => (phase === 'pre-prepared' ? (byPrimary ? ['PRE_PREPARE', 'PREPARE'] : ['PREPARE']) : phase === 'prepared' ? ['COMMIT'] : []),
    afterDeed: (verdict, role, { quorum }) => {
      if (role === 'proposal') {
        if (verdict === 'withheld') return 'With no view change nothing can replace it: the request waits for ever.';
        if (verdict === 'each-different' || verdict === 'split' || verdict === 'forged') {
          return `The seed's nodes do not check a digest against the request, so each backup takes the digest it was given and votes PREPARE for it: only a digest told to 2f+1 = ${quorum} of them can go further, and with no view change this primary stays.`;
        }
        return null;
      }
      if (role === 'vote') {
        if (verdict === 'withheld') return `The others need 2f+1 = ${quorum} matching votes without it.`;
        if (verdict === 'forged' || verdict === 'split' || verdict === 'each-different') return 'A vote counts only for the digest it names.';
      }
      return null;
    },
    prePrepared: (e, { who, n }, byPrimary) =>
      byPrimary
        ? `The primary (${who}) assigns #${e.seq} to the request and multicasts PRE-PREPARE to the ${n - 1} others; in the seed it also votes PREPARE itself, and it stays primary for ever.`
        : `${who} took the PRE-PREPARE for #${e.seq} and multicasts PREPARE for the digest it was given; with no view change, a lying primary is never replaced.`,
    prepared: (e, { who, quorum }) =>
      `${who} holds 2f+1 = ${quorum} matching PREPAREs for #${e.seq} (the primary's counted too), so it multicasts COMMIT. The seed checks this only when a PREPARE arrives.`,
    committed: (e, { who, quorum }) => `${who} holds 2f+1 = ${quorum} matching COMMITs for #${e.seq}: it commits.`,
    executed: (e, { who, sent }) =>
      `${who} committed #${e.seq} and executes it at once (the seed does not wait for lower numbers)${sent?.has('REPLY') ? ', then replies to the client' : '; it sends no REPLY now'}.`,
    voteArrived: (msg, { who, quorum }) => {
      if (msg.type === 'PREPARE') return `${who} counts this PREPARE for #${msg.seq}; 2f+1 = ${quorum} matching ones (the primary's included) make it send COMMIT.`;
      if (msg.type === 'COMMIT') return `${who} counts this COMMIT for #${msg.seq}; it commits with 2f+1 = ${quorum} matching ones.`;
      return null;
    },
    // It never changes view; the rest it says as PBFT does.
    ...PBFT_VIEW_NARRATION,
  },
  parameters: ['f', 'n', 'seed', 'minDelayMs', 'maxDelayMs', 'dropRate', 'reorderRate', 'malicious', 'requests', 'concurrency', 'clientTimeoutMs'],
  picture: { watermarks: false, slotFollowsRequest: true, viewChange: false },
  trialSuccess: 'all-honest-executed',
};
