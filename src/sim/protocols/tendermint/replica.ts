/**
 * Tendermint (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus", 2018, Algorithm 1), one replica.
 *
 * Heights h (one decision each; the execution log's sequence numbers) and rounds r within a height; proposer(h, r) =
 * (h + r) mod n. Values are client requests, id(v) their digest; nil is the empty digest. The rules below carry the
 * paper's line numbers. Every message goes to every replica; each counts what it received (2f+1 of n = 3f+1). Votes
 * are signed: a re-proposal (validRound ≥ 0) carries the 2f+1 PREVOTEs of that round as proof of lock, as real
 * Tendermint's gossip spreads them, so a replica that missed some can still check line 28's condition.
 *
 * Where the simulation adds to Algorithm 1 (the paper assumes gossip that eventually delivers every message; here the
 * network loses some for good): a proposer proposes only when it has a value (a waiting request, or validValue); a
 * replica's timeouts run only while something happens at its height (a request waits, or a message of its height
 * arrived); messages for the next heights are kept until it gets there; gossip is modelled by each replica saying again
 * what it said in its round while it sees no progress (backing off, and resting after a while, as PBFT's
 * retransmission does); every message carries where its sender's execution stands, and f+1 replicas of a later height
 * that agree on it let a replica that missed a decision catch up by state transfer (real Tendermint's block sync),
 * which a replica that hears a laggard's old message helps along by answering with its latest word.
 */
import { CLIENT, type ClientRequest, type Message, type NodeId, type OutgoingMessage, type SlotInspection, type SlotPhase } from '../../types';
import type { ExecutedEntry, ReplicaConfig, ReplicaHost, ReplicaModel, ReplicaSelfInspection, ReplicaTimer } from '../contract';
import { Application, inspectionWithoutCheckpoints, isBase, type ExecutedBase } from '../shared';
import { proposerOf } from './descriptor';

/** nil: a vote for no value. */
export const NIL = '';
/** How many heights ahead of its own a replica keeps messages for. */
const HEIGHTS_AHEAD = 4;
/** Rounds ahead of its own a replica keeps messages for (a flood of far-future rounds costs nothing). */
const ROUNDS_AHEAD = 64;
/** Gossip: a replica says again what it said after T, 2T, 4T … at most T · 2^4 apart, and rests after this many. */
const MAX_RESEND_DOUBLINGS = 4;
const MAX_RESENDS = 8;

export type Step = 'propose' | 'prevote' | 'precommit';

export interface VotePayload {
  /** Where the sender's execution stands: height h − 1 and the state after it. */
  base: ExecutedBase;
  /**
   * An answer to a laggard: the 2f+1 signed PRECOMMITs that decided this height (real Tendermint's commit, which its
   * gossip spreads); not covered by the carrier's signature, as each vote carries its own.
   */
  commit?: readonly SignedVote[];
  /**
   * On a PRECOMMIT for a value said again (gossip): the 2f+1 signed PREVOTEs it locked on — what real Tendermint's
   * gossip of votes spreads. Replicas that prevoted nil learn the lock and take the value as valid (validValue,
   * validRound), so the next proposer among them re-proposes it with a proof every locked replica accepts. Without it f
   * equivocators could lock the honest replicas in two groups, alternately, for ever (each group's re-proposal one round
   * behind the other's lock).
   */
  pol?: readonly SignedVote[];
}

export interface ProposalPayload extends VotePayload {
  validRound: number;
  /**
   * With validRound ≥ 0: the 2f+1 signed PREVOTEs for the value in that round the proposer holds (real Tendermint's
   * proof of lock, which its gossip spreads): a replica that missed some of them counts them too.
   */
  pol?: readonly SignedVote[];
}

export type SignedVote = OutgoingMessage & { sender: NodeId; sig: number };

/** What a signature on a vote covers of its payload: the base it claims. */
export function payloadDigest(_type: string, payload: unknown): string {
  const base = (payload as Partial<VotePayload> | null)?.base;
  return isBase(base) ? `${base.seq}|${base.state}` : '';
}

export const TENDERMINT_SIGNED = new Set<string>(['PREVOTE', 'PRECOMMIT']);

interface RoundMessages {
  proposal: { value: ClientRequest; validRound: number } | null;
  prevotes: Tally;
  /**
   * The signed PREVOTEs behind `prevotes` (what a proof of lock is made of), and PRECOMMITs (a commit): one per voter and
   * value, as the tallies count them. One per voter was not enough: an equivocator's second vote replaced its first, so
   * a replica that locked on 2f+1 PREVOTEs could later show only 2f of them — its re-proposal's proof fell short, the
   * replicas locked elsewhere never unlocked, and the height never decided (found by a property-test draw: f = 2,
   * equivocators 1 and 6, delays under 2 ms).
   */
  signedPrevotes: SignedVote[];
  signedPrecommits: SignedVote[];
  precommits: Tally;
  /** A value whose 2f+1 PRECOMMITs arrived as a commit, with the value itself (a laggard's way to decide without the PROPOSAL). */
  committed?: ClientRequest;
}

const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export class TendermintReplica implements ReplicaModel {
  readonly id: NodeId;
  readonly viewChanging = false;
  readonly lowWatermark = 0;
  readonly highWatermark = Number.MAX_SAFE_INTEGER;
  timer: { startedAt: number; deadline: number } | null = null;

  height = 1;
  round = 0;
  step: Step = 'propose';
  lockedValue: ClientRequest | null = null;
  lockedRound = -1;
  validValue: ClientRequest | null = null;
  validRound = -1;

  private readonly n: number;
  private readonly f: number;
  private readonly quorumSize: number;
  private readonly host: ReplicaHost;
  private readonly base: number;
  private readonly app: Application;
  /** Messages by height, then round. */
  private readonly heights = new Map<number, Map<number, RoundMessages>>();
  /** "For the first time" guards of lines 34, 36 and 47, for the current height: the rounds where each fired. */
  private readonly fired = { prevoteTimer: new Set<number>(), lockLine: new Set<number>(), precommitTimer: new Set<number>() };
  private proposedIn = -1;
  /** The timeout waiting to fire. */
  private pending: { kind: Step; height: number; round: number } | null = null;
  /** Something happened at this height: its timeouts may run even if it knows of no request. */
  private active = false;
  /** Later heights' senders by the base they claim ("seq|state"): f+1 agreeing let it catch up. */
  private readonly ahead = new Map<string, Set<NodeId>>();
  /** What it said in its current round (its proposal and votes), for gossip; and how often it said them again. */
  private said: OutgoingMessage[] = [];
  /** What it said in the round that decided the height before. */
  private previous: OutgoingMessage[] = [];
  private resends = 0;
  private resendArmed = false;
  /** Where it stands per value (by digest) at this height and the last ones, for the inspector and the picture. */
  private readonly reached = new Map<string, { seq: number; round: number; phase: SlotPhase }>();

  constructor(config: ReplicaConfig, host: ReplicaHost) {
    this.id = config.id;
    this.n = config.n;
    this.f = config.f;
    this.quorumSize = config.quorum;
    this.host = host;
    this.base = config.viewChangeTimeoutMs;
    this.app = new Application(config.id, host);
    // Height 1, round 0, step propose: nothing to say until a request or a message arrives.
  }

  get view(): number {
    return this.round;
  }

  get isPrimary(): boolean {
    return this.proposer(this.height, this.round) === this.id;
  }

  get lastExecuted(): number {
    return this.app.lastExecuted;
  }

  get executedLog(): ExecutedEntry[] {
    return this.app.executedLog;
  }

  /**
   * The paper's 2f + 1 out of n = 3f + 1, in general ⌈(n + f + 1) / 2⌉ (the run's one quorum rule, src/sim/scenario.ts):
   * any two quorums then share f + 1 replicas, one of them honest. 2f + 1 alone let two quorums meet in one liar once
   * n > 3f + 1 (n = 5, f = 1: replicas 0, 1, 2 and 1, 3, 4 decided two values with one colluder).
   */
  get quorum(): number {
    return this.quorumSize;
  }

  proposer(h: number, r: number): NodeId {
    return proposerOf(h, r, this.n);
  }

  /** Timeouts grow with the round (the paper's timeout_X(r) = init + r · delta). */
  timeoutOf(step: Step, r: number): number {
    return step === 'propose' ? this.base + (r * this.base) / 2 : (this.base + r * this.base) / 2;
  }

  // ───────────────────────────── receiving ─────────────────────────────

  receive(msg: Message, from: NodeId): string | undefined {
    if (msg.sender !== from) return `claims to be from ${msg.sender} but came from ${from}`;
    if (!isWhole(msg.view) || !isWhole(msg.seq) || typeof msg.digest !== 'string') return 'malformed message';
    if (msg.type === 'REQUEST') {
      const ignored = this.app.onRequest(msg, from, this.round, (request) =>
        this.host.multicast(this.id, { type: 'REQUEST', view: this.round, seq: 0, digest: request.digest, request, timestamp: request.timestamp }),
      );
      // The client asking again for a request still waiting here says the replicas are stuck: a gossip that rested
      // speaks again (its words may all have been lost while the network was bad), so a laggard is answered.
      if (from === CLIENT && ignored === undefined && msg.request && this.app.pending.has(msg.request.digest) && this.resends >= MAX_RESENDS) {
        this.resends = 0;
        this.armGossip();
      }
      this.wake();
      return ignored;
    }
    if (msg.type !== 'PROPOSAL' && msg.type !== 'PREVOTE' && msg.type !== 'PRECOMMIT') return `Tendermint has no ${msg.type}`;
    const base = (msg.payload as Partial<VotePayload> | undefined)?.base;
    if (!isBase(base) || base.seq !== msg.seq - 1) return 'malformed message (no base)';
    if (msg.type === 'PROPOSAL') {
      const validRound = (msg.payload as Partial<ProposalPayload>).validRound;
      if (!Number.isInteger(validRound) || (validRound as number) < -1 || (validRound as number) >= msg.view) return 'malformed PROPOSAL';
      if (from !== this.proposer(msg.seq, msg.view)) return 'PROPOSAL not from the proposer of its round';
      if (!msg.request || msg.request.digest !== msg.digest) return 'PROPOSAL carries no value';
    }
    if (msg.seq < this.height) {
      // A laggard: what this replica said at its height (or, idle, in its last round of the height before — the
      // PRECOMMIT that decided it) tells the laggard where the others are.
      // Only a replica that says something again is stuck; a vote merely late is not answered.
      if (msg.retransmit === 'repeat') {
        const words = this.said.length > 0 ? this.said : this.previous;
        for (const m of words) this.host.send(this.id, from, { ...m, retransmit: 'answer' });
        // The laggard's height is the one just decided: the commit goes with a PRECOMMIT for the decided value in the
        // deciding round (safe to say: nothing else can be decided at that height).
        const d = this.lastDecision;
        if (d && msg.seq === this.height - 1 && d.commit.length > 0) {
          this.host.send(this.id, from, { type: 'PRECOMMIT', view: d.round, seq: msg.seq, digest: d.digest, request: d.value, payload: { base: d.base, commit: d.commit } satisfies VotePayload, retransmit: 'answer' });
        }
      }
      return 'a height already decided';
    }
    if (msg.seq > this.height) this.catchUp(base, from);
    if (msg.seq > this.height + HEIGHTS_AHEAD || msg.view > this.round + ROUNDS_AHEAD) return 'too far ahead';
    const at = this.roundOf(msg.seq, msg.view);
    // A commit counts even when the PRECOMMIT carrying it is one this replica already holds (a laggard one vote short
    // has its carrier's own vote already: the commit's other votes are what it lacks).
    const commit = (msg.payload as Partial<VotePayload>).commit;
    const tookCommit = Array.isArray(commit) && msg.type === 'PRECOMMIT' && msg.seq === this.height && this.takeCommit(msg.seq, msg.view, msg.digest, commit, msg.request);
    const pol = (msg.payload as Partial<VotePayload>).pol;
    // Votes a proof adds are counted now: the same votes arriving later are ones it already holds, and wake nothing.
    if (Array.isArray(pol) && msg.type === 'PRECOMMIT' && msg.seq === this.height && msg.digest !== NIL && this.learnLock(msg.view, msg.digest, pol)) this.evaluate();
    if (msg.type === 'PROPOSAL') {
      if (at.proposal) return 'already has a PROPOSAL for this round';
      const payload = msg.payload as ProposalPayload;
      at.proposal = { value: msg.request!, validRound: payload.validRound };
      if (payload.validRound >= 0 && Array.isArray(payload.pol)) this.takeProof(msg.seq, payload.validRound, msg.digest, payload.pol);
    } else {
      const votes = msg.type === 'PREVOTE' ? at.prevotes : at.precommits;
      if (!votes.add(from, msg.digest)) {
        if (!tookCommit) return 'already voted so in this round';
        this.evaluate();
        return undefined;
      }
      if (typeof msg.sig === 'number') {
        const signed: SignedVote = { type: msg.type, view: msg.view, seq: msg.seq, digest: msg.digest, payload: { base }, sender: from, sig: msg.sig };
        (msg.type === 'PREVOTE' ? at.signedPrevotes : at.signedPrecommits).push(signed);
      }
    }
    if (msg.seq === this.height) {
      this.active = true;
      this.evaluate();
      this.wake();
    }
    return undefined;
  }

  /**
   * A lock learnt from a gossiped PRECOMMIT's proof: the proof's votes count, and a value 2f+1 prevoted in an earlier
   * round than this one, later than its valid round, becomes its valid value (line 36's record, for a round it has
   * left: a proposer may re-propose any value with such a proof, which is all line 28 asks of a re-proposal).
   */
  private learnLock(vr: number, digest: string, pol: readonly unknown[]): boolean {
    const took = this.takeProof(this.height, vr, digest, pol);
    if (vr <= this.validRound || vr >= this.round) return took;
    const then = this.heights.get(this.height)?.get(vr);
    const proposal = then?.proposal;
    if (!proposal || proposal.value.digest !== digest || tally(then.prevotes, digest) < this.quorum || !this.valid(proposal.value)) return took;
    this.validValue = proposal.value;
    this.validRound = vr;
    return true;
  }

  /** The signed PREVOTEs of a proof of lock: each genuine one for (h, vr, v) counts as if it had arrived. */
  private takeProof(h: number, vr: number, digest: string, pol: readonly unknown[]): boolean {
    const at = this.roundOf(h, vr);
    let took = false;
    for (const raw of pol) {
      const v = raw as Partial<SignedVote> | null;
      if (!v || v.type !== 'PREVOTE' || v.seq !== h || v.view !== vr || v.digest !== digest || typeof v.sender !== 'number' || at.prevotes.hasVote(v.sender, digest)) continue;
      if (!this.host.verify(v)) continue;
      at.prevotes.add(v.sender, digest);
      at.signedPrevotes.push(v as SignedVote);
      took = true;
    }
    return took;
  }

  /**
   * The signed PRECOMMITs of a commit: each genuine one counts as if it had arrived. The carrier names the decided
   * value (real Tendermint's commit travels with its block): with 2f+1 genuine PRECOMMITs for its digest, the value is
   * known for that round as the proposal would have made it known — a laggard that lost the PROPOSAL can decide too.
   * true when it learnt something.
   */
  private takeCommit(h: number, round: number, digest: string, commit: readonly unknown[], value: ClientRequest | undefined): boolean {
    let took = false;
    for (const raw of commit) {
      const v = raw as Partial<SignedVote> | null;
      if (!v || v.type !== 'PRECOMMIT' || v.seq !== h || !isWhole(v.view) || v.view > this.round + ROUNDS_AHEAD || typeof v.digest !== 'string' || typeof v.sender !== 'number') continue;
      const at = this.roundOf(h, v.view);
      if (at.precommits.hasVote(v.sender, v.digest) || !this.host.verify(v)) continue;
      at.precommits.add(v.sender, v.digest);
      at.signedPrecommits.push(v as SignedVote);
      took = true;
    }
    const at = this.heights.get(h)?.get(round);
    if (value && value.digest === digest && at && !at.committed && tally(at.precommits, digest) >= this.quorum) {
      at.committed = value;
      took = true;
    }
    return took;
  }

  /** f+1 replicas of later heights agree where their execution stands: at least one is honest, so it fetches that history. */
  private catchUp(base: ExecutedBase, from: NodeId): void {
    const key = `${base.seq}|${base.state}`;
    let senders = this.ahead.get(key);
    if (!senders) this.ahead.set(key, (senders = new Set()));
    senders.add(from);
    if (senders.size < this.f + 1 || base.seq < this.height) return;
    if (this.app.catchUp(base, this.round)) this.enterHeight(base.seq + 1);
  }

  onTimer(which: ReplicaTimer = 'main'): void {
    if (which === 'resend') {
      this.gossip();
      return;
    }
    const due = this.pending;
    this.pending = null;
    this.timer = null;
    this.host.showTimer(this.id, 'stop', this.host.now());
    if (!due || due.height !== this.height || due.round !== this.round) return;
    if (due.kind === 'propose' && this.step === 'propose') {
      // Line 57: no acceptable proposal in time.
      this.prevote(NIL);
    } else if (due.kind === 'prevote' && this.step === 'prevote') {
      // Line 61.
      this.precommit(NIL);
    } else if (due.kind === 'precommit') {
      // Line 65: the round ends.
      this.startRound(this.round + 1);
      return;
    }
    this.evaluate();
  }

  // ───────────────────────────── the rules ─────────────────────────────

  /** Line 11: StartRound(r). */
  private startRound(r: number): void {
    this.round = r;
    this.step = 'propose';
    // Gossip keeps what it said in the round before too: a replica still there may need it to end that round.
    this.said = this.said.filter((m) => m.seq === this.height && m.view >= r - 1);
    this.resends = 0;
    this.fired.prevoteTimer.delete(r);
    this.host.showView(this.id, r, this.proposer(this.height, r));
    this.clearTimeout();
    this.wake();
    this.evaluate();
  }

  /** Proposes (line 14) or arms timeoutPropose (line 21) once there is something to do at this height. */
  private wake(): void {
    if (this.step !== 'propose') return;
    const r = this.round;
    if (this.isPrimary) {
      if (this.proposedIn === r) return;
      let value = this.validValue;
      if (!value) {
        const waiting = [...this.app.pending.values()];
        value = this.host.proposals(this.id, waiting, 1)[0] ?? null;
      }
      if (!value) return;
      this.proposedIn = r;
      this.say({
        type: 'PROPOSAL',
        view: r,
        seq: this.height,
        digest: value.digest,
        request: value,
        payload: (this.validRound >= 0 ? { validRound: this.validRound, base: this.app.base, pol: this.proofOf(this.validRound, value.digest) } : { validRound: -1, base: this.app.base }) satisfies ProposalPayload,
      });
      // Its own proposal, as the others read it.
      const at = this.roundOf(this.height, r);
      if (!at.proposal) at.proposal = { value, validRound: this.validRound };
      this.active = true;
      this.evaluate();
    } else if ((this.active || this.app.pending.size > 0) && !this.pending) {
      this.schedule('propose');
    }
  }

  /** Every "upon" rule of Algorithm 1 whose condition holds now, until none does. */
  private evaluate(): void {
    for (let guard = 0; guard < 16; guard++) {
      if (!this.applyOnce()) return;
    }
  }

  /** The value 2f+1 PRECOMMITs of this round decide, if any: its proposal's, else the one a commit named. */
  private decidedIn(at: RoundMessages, q: number): ClientRequest | undefined {
    const proposed = at.proposal?.value;
    if (proposed && tally(at.precommits, proposed.digest) >= q && this.valid(proposed)) return proposed;
    const committed = at.committed;
    if (committed && tally(at.precommits, committed.digest) >= q && this.valid(committed)) return committed;
    return undefined;
  }

  private applyOnce(): boolean {
    const h = this.height;
    const r = this.round;
    const cur = this.roundOf(h, r);
    const q = this.quorum;

    const rounds = this.heights.get(h);
    // Line 49: a decision, in any round.
    if (rounds) {
      for (const [round, at] of rounds) {
        const value = this.decidedIn(at, q);
        if (value) {
          this.decide(value, round);
          return true;
        }
      }
    }
    // Line 55: f+1 messages of a later round.
    for (const [round, at] of rounds ?? []) {
      if (round <= r) continue;
      const senders = new Set<NodeId>([...at.prevotes.voters(), ...at.precommits.voters()]);
      if (at.proposal) senders.add(this.proposer(h, round));
      if (senders.size >= this.f + 1) {
        this.startRound(round);
        return true;
      }
    }
    const p = cur.proposal;
    if (this.step === 'propose' && p) {
      // Line 22: a fresh proposal.
      if (p.validRound === -1) {
        this.prevote(this.valid(p.value) && (this.lockedRound === -1 || this.lockedValue?.digest === p.value.digest) ? p.value.digest : NIL, p.value);
        return true;
      }
      // Line 28: a re-proposal of a value 2f+1 prevoted in round vr < r.
      const vr = p.validRound;
      const then = this.heights.get(h)?.get(vr);
      if (vr < r && then && tally(then.prevotes, p.value.digest) >= q) {
        this.prevote(this.valid(p.value) && (this.lockedRound <= vr || this.lockedValue?.digest === p.value.digest) ? p.value.digest : NIL, p.value);
        return true;
      }
    }
    // Line 34: 2f+1 prevotes of any kind.
    if (this.step === 'prevote' && cur.prevotes.size >= q && !this.fired.prevoteTimer.has(r)) {
      this.fired.prevoteTimer.add(r);
      this.schedule('prevote');
    }
    // Line 36: the proposal and 2f+1 prevotes for it: lock (if still prevoting) and record it as valid.
    if (p && this.step !== 'propose' && !this.fired.lockLine.has(r) && tally(cur.prevotes, p.value.digest) >= q && this.valid(p.value)) {
      this.fired.lockLine.add(r);
      if (this.step === 'prevote') {
        this.lockedValue = p.value;
        this.lockedRound = r;
        this.reach(p.value, 'prepared');
        this.precommit(p.value.digest);
      }
      this.validValue = p.value;
      this.validRound = r;
      return true;
    }
    // Line 44: 2f+1 prevotes for nil.
    if (this.step === 'prevote' && tally(cur.prevotes, NIL) >= q) {
      this.precommit(NIL);
      return true;
    }
    // Line 47: 2f+1 precommits of any kind.
    if (cur.precommits.size >= q && !this.fired.precommitTimer.has(r)) {
      this.fired.precommitTimer.add(r);
      this.schedule('precommit');
      return true;
    }
    return false;
  }

  private prevote(digest: string, value?: ClientRequest): void {
    if (digest !== NIL && value) this.reach(value, 'pre-prepared');
    this.step = 'prevote';
    this.clearTimeout();
    this.vote('PREVOTE', digest);
  }

  private precommit(digest: string): void {
    this.step = 'precommit';
    if (this.pending?.kind !== 'precommit') this.clearTimeout();
    this.vote('PRECOMMIT', digest);
  }

  private vote(type: 'PREVOTE' | 'PRECOMMIT', digest: string): void {
    const said = this.say({ type, view: this.round, seq: this.height, digest, payload: { base: this.app.base } satisfies VotePayload });
    // It counts its own vote as it said it (a silent liar keeps none).
    if (said) {
      const at = this.roundOf(this.height, this.round);
      const votes = type === 'PREVOTE' ? at.prevotes : at.precommits;
      if (votes.add(this.id, said.digest)) {
        // Spelled out as a received vote is: a spread of the words' shape cost more than the rest of the vote.
        if (typeof said.sig === 'number') {
          const own: SignedVote = { type, view: said.view, seq: said.seq, digest: said.digest, payload: said.payload, sender: this.id, sig: said.sig };
          (type === 'PREVOTE' ? at.signedPrevotes : at.signedPrecommits).push(own);
        }
      }
    }
  }

  private proofOf(vr: number, digest: string): SignedVote[] {
    const at = this.heights.get(this.height)?.get(vr);
    return at ? at.signedPrevotes.filter((v) => v.digest === digest) : [];
  }

  /** Multicasts a message of its round, remembered for gossip; returns the copy it keeps. */
  private say(fields: OutgoingMessage): OutgoingMessage | null {
    this.said.push(fields);
    // Progress: the gossip clock starts again.
    this.resends = 0;
    this.resendArmed = false;
    this.armGossip();
    return this.host.multicast(this.id, fields);
  }

  private armGossip(): void {
    if (this.resendArmed || this.said.length === 0 || this.resends >= MAX_RESENDS) return;
    this.resendArmed = true;
    this.host.setTimer(this.id, this.base * 2 ** Math.min(this.resends, MAX_RESEND_DOUBLINGS), 'resend');
  }

  /** Gossip: what it said in this round, said again (receivers drop what they already hold). */
  private gossip(): void {
    this.resendArmed = false;
    if (this.said.length === 0) return;
    this.resends++;
    for (const m of this.said) this.host.multicast(this.id, m.type === 'PRECOMMIT' && m.digest !== NIL && m.seq === this.height ? this.withLock(m) : m, true);
    this.armGossip();
  }

  /** A PRECOMMIT for a value as gossip says it again: with the 2f+1 signed PREVOTEs it locked on (VotePayload.pol). */
  private withLock(m: OutgoingMessage): OutgoingMessage {
    return { ...m, payload: { ...(m.payload as VotePayload), pol: this.proofOf(m.view, m.digest) } satisfies VotePayload };
  }

  /** Line 49: decide v at h; reset the locks and valid values; height h + 1, round 0. */
  /** The last height's decision: its round, value, the base before it and the signed PRECOMMITs that decided it. */
  private lastDecision: { round: number; digest: string; value: ClientRequest; base: ExecutedBase; commit: SignedVote[] } | null = null;

  private decide(value: ClientRequest, round: number): void {
    const at = this.heights.get(this.height)?.get(round);
    const commit = at ? at.signedPrecommits.filter((v) => v.digest === value.digest) : [];
    this.lastDecision = { round, digest: value.digest, value, base: this.app.base, commit };
    this.app.execute(this.height, round, value, value.digest);
    this.enterHeight(this.height + 1);
  }

  private enterHeight(h: number): void {
    for (const k of this.heights.keys()) if (k < h) this.heights.delete(k);
    for (const key of this.ahead.keys()) if (Number(key.split('|')[0]) < h) this.ahead.delete(key);
    this.height = h;
    this.lockedValue = null;
    this.lockedRound = -1;
    this.validValue = null;
    this.validRound = -1;
    this.proposedIn = -1;
    this.active = this.heights.has(h);
    this.fired.prevoteTimer.clear();
    this.fired.lockLine.clear();
    this.fired.precommitTimer.clear();
    this.previous = this.said;
    this.said = [];
    this.startRound(0);
  }

  /** valid(v): a request the client really issued, not yet executed here. */
  private valid(v: ClientRequest): boolean {
    return this.host.isAuthentic(v) && this.app.executed(v.digest) === undefined;
  }

  private schedule(kind: Step): void {
    // A round's end (timeoutPrecommit) is not put off by a prevote timeout of the same round.
    if (this.pending?.kind === 'precommit' && kind !== 'precommit' && this.pending.round === this.round) return;
    const delay = this.timeoutOf(kind, this.round);
    const now = this.host.now();
    this.pending = { kind, height: this.height, round: this.round };
    this.timer = { startedAt: now, deadline: now + delay };
    this.host.setTimer(this.id, delay);
    this.host.showTimer(this.id, 'start', now + delay);
  }

  private clearTimeout(): void {
    if (!this.pending) return;
    this.pending = null;
    this.timer = null;
    this.host.clearTimer(this.id);
    this.host.showTimer(this.id, 'stop', this.host.now());
  }

  private roundOf(h: number, r: number): RoundMessages {
    let rounds = this.heights.get(h);
    if (!rounds) this.heights.set(h, (rounds = new Map()));
    let at = rounds.get(r);
    if (!at) rounds.set(r, (at = { proposal: null, prevotes: new Tally(), signedPrevotes: [], precommits: new Tally(), signedPrecommits: [] }));
    return at;
  }

  private reach(value: ClientRequest, phase: SlotPhase): void {
    const before = this.reached.get(value.digest);
    if (before && before.seq === this.height && (before.phase === phase || before.phase === 'prepared')) return;
    this.reached.set(value.digest, { seq: this.height, round: this.round, phase });
    if (this.reached.size > 1024) this.reached.delete(this.reached.keys().next().value as string);
    this.host.showPhase(this.id, this.round, this.height, value.digest, phase);
  }

  // ───────────────────────────── what it shows ─────────────────────────────

  phaseOf(digest: string): SlotPhase | null {
    if (this.app.executed(digest) !== undefined) return 'executed';
    return this.reached.get(digest)?.phase ?? null;
  }

  inspect(): ReplicaSelfInspection {
    const log: SlotInspection[] = [];
    for (const [digest, at] of this.reached) {
      const phase = this.phaseOf(digest)!;
      const votes = this.heights.get(at.seq)?.get(at.round);
      log.push({
        seq: at.seq,
        view: at.round,
        digest,
        phase,
        prepares: votes ? tally(votes.prevotes, digest) : 0,
        prepareQuorum: this.quorum,
        commits: votes ? tally(votes.precommits, digest) : 0,
        commitQuorum: this.quorum,
        proposer: this.proposer(at.seq, at.round),
        prepareSigners: votes ? votes.prevotes.votersFor(digest) : [],
      });
    }
    const value = (v: ClientRequest | null) => (v ? v.digest : 'nil');
    return inspectionWithoutCheckpoints(this, this.pending?.kind ?? null, this.app.pending.size, log.sort((a, b) => a.seq - b.seq), [
      { name: 'height', value: String(this.height) },
      { name: 'round', value: String(this.round) },
      { name: 'step', value: this.step },
      { name: 'lockedValue / lockedRound', value: `${value(this.lockedValue)} / ${this.lockedRound}` },
      { name: 'validValue / validRound', value: `${value(this.validValue)} / ${this.validRound}` },
    ]);
  }
}

function tally(votes: Tally, digest: string): number {
  return votes.count(digest);
}

/**
 * Votes of one kind in one round: who voted for what. A liar may have voted for two values (each vote genuine, one
 * arriving directly and another inside a proof): both count, each toward its own value — two quorums for different
 * values still share an honest voter, who votes once — while "2f+1 of any kind" counts each voter once.
 *
 * A voter's first value is kept in a list by voter and the round's leading value counted in a field — nearly every vote
 * is an honest replica's one vote for the proposal — and only an equivocator's further values go to maps (a map and two
 * sets per vote were a tenth of a run at n = 64).
 */
export class Tally {
  /** Each voter's first value, by voter. */
  private readonly first: (string | undefined)[] = [];
  /** A voter's values after its first (an equivocator's), or null while nobody has voted twice. */
  private more: Map<NodeId, Set<string>> | null = null;
  private readonly all: NodeId[] = [];
  /** The first value voted for, and its count; every other value's count in `counts`. */
  private leading: string | null = null;
  private leadingCount = 0;
  private readonly counts = new Map<string, number>();

  get size(): number {
    return this.all.length;
  }

  hasVote(voter: NodeId, digest: string): boolean {
    return this.first[voter] === digest || (this.more?.get(voter)?.has(digest) ?? false);
  }

  /** false when this voter's vote for this value was already counted. */
  add(voter: NodeId, digest: string): boolean {
    const first = this.first[voter];
    if (first === undefined) {
      this.first[voter] = digest;
      this.all.push(voter);
    } else {
      if (first === digest) return false;
      let more = (this.more ??= new Map()).get(voter);
      if (!more) this.more.set(voter, (more = new Set<string>()));
      if (more.has(digest)) return false;
      more.add(digest);
    }
    if (this.leading === null) this.leading = digest;
    if (digest === this.leading) this.leadingCount++;
    else this.counts.set(digest, (this.counts.get(digest) ?? 0) + 1);
    return true;
  }

  count(digest: string): number {
    return digest === this.leading ? this.leadingCount : (this.counts.get(digest) ?? 0);
  }

  voters(): Iterable<NodeId> {
    return this.all;
  }

  votersFor(digest: string): NodeId[] {
    return this.all.filter((voter) => this.hasVote(voter, digest)).sort((a, b) => a - b);
  }
}

export type { OutgoingMessage };
