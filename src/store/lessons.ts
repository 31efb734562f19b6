/**
 * Lesson presets: a scenario, a speed that suits it on a projector, and the paragraph a lecturer would say first.
 * Their ids travel in the URL (?preset=silent-primary), so a link on a slide opens the lesson.
 */
import { defaultScenario } from '../sim/scenario';
import type { Scenario } from '../sim/types';

export interface Lesson {
  id: string;
  title: string;
  scenario: Scenario;
  /** Virtual ms per real second. */
  speed: number;
  explanation: string;
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'normal-case',
    title: 'Normal case (f = 1)',
    scenario: defaultScenario({ f: 1 }),
    speed: 20,
    explanation:
      'Four replicas tolerate one fault. The client sends its request to the primary (replica 0), which proposes a sequence number in PRE-PREPARE. The backups echo it in PREPARE; with the PRE-PREPARE and 2f = 2 matching PREPAREs a replica is prepared and multicasts COMMIT; with 2f+1 = 3 COMMITs it is committed and executes. The client accepts after f+1 = 2 matching REPLYs. Press Next phase to see each wave of messages complete (waves overlap: a quick PREPARE may overtake a slow PRE-PREPARE).',
  },
  {
    id: 'silent-primary',
    title: 'Silent primary → view change',
    scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'silent' } } }),
    speed: 200,
    explanation:
      'The primary has crashed: the request goes nowhere. The client times out and sends it to every replica; the backups relay it and start their view-change timers (the ring filling around each replica). When a timer expires, that backup asks for view 1 in VIEW-CHANGE. Replica 1, the primary of view 1, collects 2f+1 = 3 of them and multicasts NEW-VIEW; the request then commits under the new primary.',
  },
  {
    id: 'equivocating-primary',
    title: 'Equivocating primary',
    scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'equivocate' } } }),
    speed: 100,
    explanation:
      "The primary tells different backups different things: its PRE-PREPARE gives replicas 1 and 3 the request and replica 2 the null request, which a backup accepts only among a NEW-VIEW's re-proposals, so replica 2 rejects it. (The client signed only this request: a liar cannot propose one the client never sent.) Replicas 1 and 3 each hold the PRE-PREPARE and the other's PREPARE, the 2f = 2 it takes to be prepared; the primary's COMMIT to them names the request too, so they reach 2f+1 = 3 COMMITs and execute it in view 0. Replica 2 is left behind, but no honest replica executes anything else. Before all this the primary replied with a wrong result; the client waits for f+1 = 2 matching REPLYs and accepts the result of replicas 1 and 3.",
  },
  {
    id: 'lossy-network',
    title: 'Lossy network',
    scenario: defaultScenario({ f: 1, dropRate: 0.2, requests: 2 }),
    speed: 100,
    explanation:
      "One message in five is lost (a red ✕ on the wire, a cut arrow in the space-time diagram). PBFT needs quorums, not every message — but here the losses bite. Request 1's PRE-PREPARE to replica 2 and two of its COMMITs are lost, so only replica 3 commits it, and the client holds one REPLY of the f+1 = 2 it needs. The primary, still working on it, sees nothing move for T and says again what it said: replica 2 gets the PRE-PREPARE at last and commits, and the client has its second REPLY. Request 2 fares worse: its PRE-PREPARE to replica 2 is lost again, first and repeated, and replica 1 has already asked for view 1 (its timer ran out while request 1 was stuck); when replica 3's timer runs out too, the view changes before request 2 commits, in view 1. The status says why a request is still waiting.",
  },
  {
    id: 'f-plus-one-traitors',
    title: 'f+1 traitors break agreement',
    scenario: defaultScenario({ f: 1, requests: 2, concurrency: 2, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } }),
    speed: 50,
    explanation:
      'PBFT assumes at most f faulty replicas. Here f = 1 but two replicas collude: the primary gives two honest replicas opposite orders for two concurrent requests, and its accomplice votes for both. Each honest replica sees a quorum of 2f+1 = 3 for its own version, because the two liars sit in both quorums. The checker catches honest replicas committing different requests at one sequence number, and the run stops there.',
  },
  {
    id: 'seed-experiment',
    title: "The seed's experiment (n = 10)",
    scenario: defaultScenario({ f: 3, malicious: { 0: { kind: 'seed' }, 1: { kind: 'seed' }, 2: { kind: 'seed' } } }),
    speed: 400,
    explanation:
      "The experiment from the article this lab grew out of: ten replicas (f = 3) and three of the article's liars, the primary among them. Its simulator had no view change, so a lying primary stalled it. Real PBFT survives: each time a lying primary stalls, the honest replicas' view-change timers expire and they change view, past replicas 0, 1 and 2, until replica 3, an honest one, leads, and the request commits with m = f. Each new primary gets twice the time of the last (T, then 2T, then 4T), so a slow network cannot make them change view for ever.",
  },
  {
    id: 'f-plus-one-across-view-change',
    title: 'f+1 traitors across a view change',
    scenario: defaultScenario({ f: 1, malicious: { 0: { kind: 'collude' }, 1: { kind: 'collude' } } }),
    speed: 50,
    explanation:
      "Signatures stop liars from forging anything, but f+1 of them can still choose what to show. Here f = 1 and two replicas collude, the primary (replica 0) and the next primary (replica 1), with a single request. Replica 0 proposes it twice: at #1 to replicas 1 and 2 only, at #2 to replicas 1 and 3 only. Replica 2 gets 2f+1 = 3 COMMITs for #1 (its own and the two liars') and executes the request in view 0; the client accepts f+1 = 2 matching replies. Replica 3 is prepared at #2 but hears no COMMIT from the liars, so its timer expires and it asks for view 1. The liars ask too, claiming they prepared nothing. Replica 1, the new primary, builds V from 2f+1 = 3 VIEW-CHANGEs: the two liars' and replica 3's, which shows #2 prepared but not #1. So O re-proposes the null request at #1. Replica 3 commits the null request at #1 in view 1: replicas 2 and 3 executed different requests at #1, and the checker stops the run.",
  },
  {
    id: 'partition-primary',
    title: 'Partition the primary away',
    scenario: defaultScenario({ f: 1, partition: [0], partitionRule: 'hold' }),
    speed: 200,
    explanation:
      "The network is cut in two: the primary, replica 0, alone on one side, the client and replicas 1, 2 and 3 on the other, and this cut holds every message across it until Heal. The client's REQUEST waits at the cut. Replica 0 hears nothing, sends nothing and stays in view 0: it does not even know it is cut off. The status says why the client waits: the primary is on the other side of the cut. The client times out and sends the request to every replica; replicas 1, 2 and 3 relay it to the primary (it waits at the cut too) and start their timers. When a timer expires, that replica asks for view 1, and the others follow. Replica 1, the primary of view 1, collects 2f+1 = 3 VIEW-CHANGEs — a quorum is all the majority side needs — and the request commits in view 1 without replica 0. Now press Heal (above the graph): the messages held at the cut reach replica 0 in the order they were sent. First the client's REQUEST: replica 0, still primary of view 0 as far as it knows, proposes it in view 0, and the others, in view 1, ignore that. Then the VIEW-CHANGEs: on f+1 = 2 of them it joins view 1, and with the NEW-VIEW, the PRE-PREPARE, the PREPAREs and the COMMITs it executes the same request at the same number. All four agree.",
  },
  {
    id: 'slow-link',
    title: 'A slow link',
    scenario: defaultScenario({ f: 1, links: [{ a: 0, b: 3, extraDelayMs: 300, dropRate: 0 }] }),
    speed: 100,
    explanation:
      "One link is slow: every message between the primary (replica 0) and replica 3 takes 300 ms longer, both ways. The others do not wait for it. Replicas 0, 1 and 2 are a quorum of 2f+1 = 3: they prepare, commit and execute without replica 3, and the client accepts after f+1 = 2 REPLYs, barely later than with no slow link. Replica 3 gets the PRE-PREPARE 300 ms late; by then it holds the others' PREPAREs and COMMITs, so it prepares, commits and executes at once — the same request at the same number. A slow link costs the replica behind it, not the quorum. Now make the link from the primary to replica 2 slow as well (Network tools, click the wire between 0 and 2, Slow): the PRE-PREPARE reaches replicas 2 and 3 only after 300 ms, so replica 1 cannot prepare in time (its own PREPARE is not the 2f = 2 it needs). The quorum must now wait for a slow link: replica 1's timer (T = 300 ms) expires first and it asks for view 1, the others follow when theirs run out, and the client accepts only after the view change. PBFT cannot tell a slow primary from a crashed one.",
  },
  {
    id: 'hotstuff-linear',
    title: 'HotStuff: linear messages, one more round',
    scenario: defaultScenario({ f: 2, mode: 'hotstuff' }),
    speed: 60,
    explanation:
      'Seven replicas (f = 2) run basic HotStuff. The leader of view 0 (replica 0) proposes the request in PREPARE to the n − 1 = 6 others, and each votes to the leader alone, never to the others. From n − f = 5 votes (its own among them) the leader forms a quorum certificate and shows it to everyone in PRE-COMMIT; the same again gives COMMIT, on which each replica locks (lockedQC), and DECIDE, on which it executes (the next leader may learn the decision first from a NEW-VIEW, which carries the sender’s commitQC). Each phase is 6 messages out and 6 votes back: 42 for the decision, and 6 NEW-VIEWs to the next leader (replica 1), 48 = 8(n − 1) in all: linear in n. On the same scenario PBFT sends 36 PREPAREs and 42 COMMITs, all to all: about 2n². The price is a round: three rounds of votes where PBFT has two, each through the leader, so the client accepts 9 message delays after its request, against 5 in PBFT. Open the Compare tab to watch both at once.',
  },
  {
    id: 'chained-three-chain',
    title: 'Chained HotStuff: one vote per view, a decision on a three-chain',
    scenario: defaultScenario({ f: 1, mode: 'chained-hotstuff' }),
    speed: 60,
    explanation:
      'Four replicas (f = 1) run Chained HotStuff, where each leader keeps two views: replica 0 leads views 0 and 1, replica 1 views 2 and 3. In view 0 replica 0 proposes the request in a GENERIC to the n − 1 = 3 others, and each sends its vote GENERIC to the leader of the next view alone. There is one kind of vote and one kind of QC: n − f = 3 votes for a node make its QC, and the next leader carries it in its own GENERIC, which extends that node. No request waits now, so the next proposals are empty nodes, there only to build the chain. The GENERIC of view 1 carries the QC of the request’s node; the GENERIC of view 2 carries the QC of view 1’s node — a two-chain above the request, on which each replica locks (lockedQC); the GENERIC of view 3 carries the QC of view 2’s node — a three-chain, and each replica executes the request and replies. Each view costs 3 GENERICs and 3 votes: 24 = 8(n − 1) messages for one request, as in basic HotStuff. But each QC serves three nodes at once, so when requests keep coming every view carries one, and a decision costs about 2(n − 1).',
  },
  {
    id: 'tendermint-locks',
    title: 'Tendermint: locks instead of a view-change protocol',
    scenario: defaultScenario({ f: 1, mode: 'tendermint', malicious: { 1: { kind: 'silent' } } }),
    speed: 100,
    explanation:
      "Tendermint has no view-change protocol: no VIEW-CHANGE, no NEW-VIEW. Here the proposer of height 1, round 0 (replica 1) is silent. The others wait out timeoutPropose, then PREVOTE nil; on 2f+1 = 3 PREVOTEs and no proposal they PRECOMMIT nil, and when timeoutPrecommit expires they start round 1, whose proposer is replica 2. Nobody locked in round 0 (no value had 2f+1 PREVOTEs), so each is free to prevote replica 2's proposal. On 2f+1 = 3 PREVOTEs for it each replica locks on the value (lockedRound = 1) and precommits it, and on 2f+1 = 3 PRECOMMITs it decides. A new round is just the next proposer: what carries safety from round to round is each replica's lock (and valid value), not certificates sent around — the inspector shows them.",
  },
  {
    id: 'compare-faulty-leader',
    title: 'Compare: the same faulty leader under all three',
    scenario: defaultScenario({ f: 1, requests: 4, malicious: { 0: { kind: 'silent' } } }),
    speed: 200,
    explanation:
      "The same liar under all three protocols: replica 0 is silent, f = 1, and the client makes four requests one after another. Play it here under PBFT, then open the Compare tab and tick PBFT, HotStuff and Tendermint. PBFT's primary is replica 0 from the start: the backups' timers expire, they send VIEW-CHANGEs, replica 1 sends NEW-VIEW and proposes all four requests in view 1 — one view change, paid once. HotStuff's leader changes every view, so replica 0's turn comes round again: views 0 and 4 are its, and each time the others wait out their view timer and send NEW-VIEW to the next leader; the requests are proposed by replicas 1, 2 and 3. Tendermint sends no view-change messages at all: the proposer rotates with the height, and at height 4, replica 0's turn, the others' timeoutPropose expires, they prevote and precommit nil, and round 1's proposer, replica 1, proposes the request. All three decide all four requests; Compare's counters show each one's bill: view changes, what they cost in time and messages, and messages per decision.",
  },
];

export function lessonById(id: string | null | undefined): Lesson | undefined {
  return id ? LESSONS.find((l) => l.id === id) : undefined;
}
