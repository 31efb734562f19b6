/**
 * The heavy half of every protocol plug-in: its replica and what its liars need to know of it. Only the simulation
 * imports this (in the app, inside the worker); the page reads ./index.ts. The page's bundle still passes through this
 * module graph (it imports the experiment module for its form) and drops what it never calls — so tables built by a
 * call at the top level are marked pure, or it would keep the adversaries.
 */
import { ADVERSARIES, type AdversaryTable, type ProtocolKnowledge } from '../adversary';
import type { SigningRules } from '../signatures';
import type { ProtocolMode } from '../types';
import type { ReplicaFactory } from './contract';
import type { ProtocolDescriptor } from './descriptor';
import { knowledgeOf } from './knowledge';
import { pbft } from './pbft/descriptor';
import { PBFT_KNOWLEDGE } from './pbft/lies';
import { pbftPayloadDigest } from './pbft/payloads';
import { Replica } from './pbft/replica';
import { seed } from './seed/descriptor';
import { SEED_ADVERSARIES } from './seed/adversaries';
import { SeedReplica } from './seed/replica';
import { hotstuff } from './hotstuff/descriptor';
import { HOTSTUFF_ADVERSARIES } from './hotstuff/adversaries';
import { HOTSTUFF_SIGNED, HotStuffReplica, payloadDigest as hotstuffPayloadDigest } from './hotstuff/replica';
import { chainedHotstuff } from './chained/descriptor';
import { CHAINED_ADVERSARIES } from './chained/adversaries';
import { CHAINED_SIGNED, ChainedHotStuffReplica, payloadDigest as chainedPayloadDigest } from './chained/replica';
import { tendermint } from './tendermint/descriptor';
import { TENDERMINT_ADVERSARIES } from './tendermint/adversaries';
import { payloadDigest as tendermintPayloadDigest, TENDERMINT_SIGNED, TendermintReplica } from './tendermint/replica';

export interface ProtocolRuntime {
  descriptor: ProtocolDescriptor;
  createReplica: ReplicaFactory;
  knowledge: ProtocolKnowledge;
  /** Which adversary acts for each behaviour in this protocol. */
  adversaries: AdversaryTable;
  /** Which of its messages carry their sender's signature, and what a signature covers of a payload. */
  signing: SigningRules;
}

/** PBFT signs what its proofs are made of (the OSDI paper's signature version); COMMIT, REQUEST and REPLY go unsigned. */
const PBFT_SIGNED = new Set<string>(['PRE_PREPARE', 'PREPARE', 'CHECKPOINT', 'VIEW_CHANGE', 'NEW_VIEW']);
const PBFT_SIGNING: SigningRules = { signs: (type) => PBFT_SIGNED.has(type), payloadDigest: pbftPayloadDigest };
/** The seed article's protocol has no proofs to check: nothing is signed. */
const NO_SIGNING: SigningRules = { signs: () => false, payloadDigest: () => '' };
/** HotStuff signs its votes: a QC is n − f of them, and every receiver checks it. */
/** Tendermint signs its votes: a re-proposal carries the 2f+1 PREVOTEs of its validRound as proof of lock. */
const TENDERMINT_SIGNING: SigningRules = { signs: (type) => TENDERMINT_SIGNED.has(type), payloadDigest: tendermintPayloadDigest };
const HOTSTUFF_SIGNING: SigningRules = { signs: (type) => HOTSTUFF_SIGNED.has(type), payloadDigest: hotstuffPayloadDigest };
/** Chained HotStuff signs its generic votes, as basic HotStuff signs its three kinds. */
const CHAINED_SIGNING: SigningRules = { signs: (type) => CHAINED_SIGNED.has(type), payloadDigest: chainedPayloadDigest };

const RUNTIMES: Readonly<Record<ProtocolMode, ProtocolRuntime>> = {
  pbft: { descriptor: pbft, createReplica: (config, host) => new Replica(config, host), knowledge: PBFT_KNOWLEDGE, adversaries: ADVERSARIES, signing: PBFT_SIGNING },
  hotstuff: { descriptor: hotstuff, createReplica: (config, host) => new HotStuffReplica(config, host), knowledge: /* @__PURE__ */ knowledgeOf(hotstuff), adversaries: HOTSTUFF_ADVERSARIES, signing: HOTSTUFF_SIGNING },
  'chained-hotstuff': { descriptor: chainedHotstuff, createReplica: (config, host) => new ChainedHotStuffReplica(config, host), knowledge: /* @__PURE__ */ knowledgeOf(chainedHotstuff), adversaries: CHAINED_ADVERSARIES, signing: CHAINED_SIGNING },
  tendermint: { descriptor: tendermint, createReplica: (config, host) => new TendermintReplica(config, host), knowledge: /* @__PURE__ */ knowledgeOf(tendermint), adversaries: TENDERMINT_ADVERSARIES, signing: TENDERMINT_SIGNING },
  seed: { descriptor: seed, createReplica: (config, host) => new SeedReplica(config, host), knowledge: /* @__PURE__ */ knowledgeOf(seed), adversaries: SEED_ADVERSARIES, signing: NO_SIGNING },
};

export function runtimeOf(mode: ProtocolMode | undefined): ProtocolRuntime {
  return RUNTIMES[mode ?? 'pbft'];
}
