import type { MessageWords, ProtocolDescriptor } from '../descriptor';

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

/** Castro & Liskov, OSDI 1999: the full protocol with checkpoints and view change. */
export const pbft: ProtocolDescriptor = {
  mode: 'pbft',
  name: 'PBFT',
  messages: PBFT_MESSAGES,
  finalVote: 'COMMIT',
  phases: ['pre-prepared', 'prepared', 'committed', 'executed'],
  quorums: {
    // prepared = the PRE-PREPARE + 2f matching PREPAREs from distinct backups (the primary sends none).
    prepared: { votes: 'PREPARE', formula: () => '2f' },
    // committed-local = prepared + 2f+1 matching COMMITs (its own included).
    committed: { votes: 'COMMIT', formula: (f) => (f > 0 ? '2f+1' : 'quorum') },
  },
  narration: {
    prePrepared: (e, { who, n }, byPrimary) =>
      byPrimary
        ? `The primary (${who}) assigns sequence number #${e.seq} to the request and multicasts PRE-PREPARE to the ${n - 1} backups: it proposes an order, which the backups must now confirm.`
        : `${who} accepted the PRE-PREPARE for #${e.seq} in view ${e.view} and multicasts PREPARE: it tells everyone which request the primary proposed, so a lying primary is caught.`,
    prepared: (e, { who, f }) =>
      `${who} is now prepared for #${e.seq}: it holds the PRE-PREPARE and ${2 * f} matching PREPAREs (2f = ${2 * f}). No honest replica can prepare another request at #${e.seq} in view ${e.view}, so it multicasts COMMIT.`,
    committed: (e, { who, quorum }) =>
      `${who} is committed-local for #${e.seq}: it is prepared and holds ${quorum} matching COMMITs (2f+1 = ${quorum}). A quorum is prepared, so this order survives any view change.`,
    executed: (e, { who }) =>
      `${who} executed #${e.seq}: it is committed-local and every lower number is done, so it runs the operation and sends its REPLY to the client.`,
    voteArrived: (msg, { who, f, quorum }) => {
      if (msg.type === 'PREPARE') return `${who} counts this PREPARE for #${msg.seq}; it needs 2f = ${2 * f} matching ones (its own included) with the PRE-PREPARE to be prepared.`;
      if (msg.type === 'COMMIT') return `${who} counts this COMMIT for #${msg.seq}; it needs 2f+1 = ${quorum} matching ones (its own included) to be committed-local.`;
      return null;
    },
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
