import { makeRequest } from './messages';
import type { ClientRequest, Message, NodeId } from './types';

export interface OutstandingRequest {
  request: ClientRequest;
  firstSentAt: number;
  /** Result each replica replied with (one per replica: a second reply from it replaces nothing). */
  replies: Map<NodeId, string>;
}

export interface Acceptance {
  request: ClientRequest;
  result: string;
  latencyMs: number;
  view: number;
  /** The replicas whose REPLYs made up the f+1 (or more) matching ones, in id order. */
  repliers: NodeId[];
}

/**
 * The client of §4.1: sends REQUEST⟨o, t, c⟩ to the primary it believes in, multicasts it to every replica when
 * its timer fires, and accepts a result once f+1 replicas replied with the same result (one of them is honest).
 */
export class Client {
  readonly id: NodeId;
  believedView = 0;
  readonly outstanding = new Map<number, OutstandingRequest>();
  readonly issued = new Map<string, ClientRequest>();
  /** When each request (by digest) was first sent. */
  readonly issuedAt = new Map<string, number>();
  /** The most recently issued request: the one the picture follows. */
  latest: ClientRequest | undefined;
  private nextTimestamp = 1;
  private readonly f: number;

  constructor(id: NodeId, f: number) {
    this.id = id;
    this.f = f;
  }

  issue(now: number): ClientRequest {
    const t = this.nextTimestamp++;
    let request = makeRequest(`op${t}`, t, this.id);
    for (let salt = 1; this.issued.has(request.digest); salt++) request = makeRequest(`op${t}`, t, this.id, salt);
    this.issued.set(request.digest, request);
    this.issuedAt.set(request.digest, now);
    this.latest = request;
    this.outstanding.set(t, { request, firstSentAt: now, replies: new Map() });
    return request;
  }

  /** Records a REPLY: the acceptance when it completes f+1 matching ones, null when it is counted, or why it is ignored. */
  onReply(msg: Message, from: NodeId, now: number): Acceptance | string | null {
    if (msg.sender !== from) return `claims to be from ${msg.sender} but came from ${from}`;
    const entry = msg.timestamp === undefined ? undefined : this.outstanding.get(msg.timestamp);
    if (!entry) return 'no outstanding request with this timestamp';
    if (entry.request.digest !== msg.digest) return 'reply is for another request';
    const result = String(msg.result);
    entry.replies.set(from, result);
    let matching = 0;
    for (const r of entry.replies.values()) if (r === result) matching++;
    if (matching < this.f + 1) return null;
    this.outstanding.delete(entry.request.timestamp);
    if (msg.view > this.believedView) this.believedView = msg.view;
    const repliers: NodeId[] = [];
    for (const [id, r] of entry.replies) if (r === result) repliers.push(id);
    return { request: entry.request, result, latencyMs: now - entry.firstSentAt, view: msg.view, repliers: repliers.sort((a, b) => a - b) };
  }
}
