import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../scenario';
import { Simulation } from '../simulation';
import { MESSAGE_TYPES } from '../types';
import { messageWords, PROTOCOLS, protocolOf } from './index';
import { runtimeOf } from './runtime';

describe('protocol descriptors', () => {
  it('every protocol is listed under its own mode, light and heavy half alike', () => {
    for (const [mode, protocol] of Object.entries(PROTOCOLS)) {
      expect(protocol.mode).toBe(mode);
      expect(runtimeOf(protocol.mode).descriptor).toBe(protocol);
    }
    expect(protocolOf(undefined)).toBe(PROTOCOLS.pbft);
  });

  it('a message type means one thing whichever protocol speaks it', () => {
    for (const protocol of Object.values(PROTOCOLS)) {
      for (const words of protocol.messages) expect(words).toEqual(messageWords(words.type));
    }
  });

  it('every message type on the wire has words: a label, a dot label and a colour', () => {
    for (const type of MESSAGE_TYPES) {
      const words = messageWords(type);
      // HotStuff's types carry the prefix HS_ (its PREPARE and COMMIT are not PBFT's), Chained HotStuff's CHS_; the
      // paper's words do not, and its votes read "vote PREPARE" as the paper's voteMsg does.
      const paper = type.replace(/^C?HS_/, '').replaceAll('_', '-');
      expect([paper, `vote ${paper.replace(/^VOTE-/, '')}`]).toContain(words.label);
      expect(words.abbreviation.length).toBeGreaterThan(0);
      expect(words.colour).toBe(type.toLowerCase().replaceAll('_', '-'));
    }
  });

  it('each protocol names its behaviours and phases', () => {
    for (const protocol of Object.values(PROTOCOLS)) {
      expect(protocol.behaviours.length).toBeGreaterThan(0);
      for (const phase of protocol.phases) expect(protocol.phaseNames[phase].length).toBeGreaterThan(0);
    }
    expect(PROTOCOLS.hotstuff.behaviours).not.toContain('forge-view-change');
    expect(PROTOCOLS.tendermint.quorums.committed.formula(1)).toBe('2f+1');
    expect(PROTOCOLS.hotstuff.quorums.committed.formula(1)).toBe('n − f');
  });

  it("the seed speaks only the normal case, and its certificates are 2f+1 of everything", () => {
    expect(PROTOCOLS.seed.messages.map((m) => m.type)).toEqual(['REQUEST', 'PRE_PREPARE', 'PREPARE', 'COMMIT', 'REPLY']);
    expect(PROTOCOLS.seed.quorums.prepared.formula(1)).toBe('2f+1');
    expect(PROTOCOLS.pbft.quorums.prepared.formula(1)).toBe('2f');
    expect(PROTOCOLS.seed.parameters).not.toContain('viewChangeTimeoutMs');
    expect(PROTOCOLS.pbft.parameters).toContain('viewChangeTimeoutMs');
  });

  it("the messages a protocol's replicas send are the ones its descriptor lists", () => {
    for (const protocol of Object.values(PROTOCOLS)) {
      const sim = new Simulation(defaultScenario({ mode: protocol.mode, f: 1, requests: 6, concurrency: 2, dropRate: 0.1, malicious: { 0: { kind: 'silent' } } }));
      sim.runUntil(20_000);
      const sent = new Set(sim.trace.flatMap((e) => (e.kind === 'send' ? [e.msg.type] : [])));
      const spoken = new Set(protocol.messages.map((m) => m.type));
      for (const type of sent) expect(spoken).toContain(type);
    }
  });
});

describe('one definition of a replica phase', () => {
  it("what a replica answers about a request is what its inspector shows for that request's slot", () => {
    for (const mode of ['pbft', 'seed', 'hotstuff', 'tendermint'] as const) {
      const sim = new Simulation(defaultScenario({ mode, f: 1, requests: 8, concurrency: 3, dropRate: 0.1, reorderRate: 0.2, malicious: { 3: { kind: 'equivocate' } } }));
      for (let t = 10; t < 600; t += 10) {
        sim.runUntil(t);
        for (const r of sim.replicaList) {
          for (const slot of r.inspect().log) if (slot.digest) expect(r.phaseOf(slot.digest)).toBe(slot.phase);
        }
      }
    }
  });
});
