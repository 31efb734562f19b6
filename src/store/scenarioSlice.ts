/**
 * The scenario: what run the lab sets up — the scenario itself, the lesson it came from, what a click on a replica
 * makes it — and the actions that edit them. Changing f, the seed or the lesson starts a new run; a network or
 * behaviour change acts on the running one at the moment on screen (playbackSlice's resume brings the worker there).
 * What a control may send is clamped or refused by scenarioRules.ts, from the parameter table.
 */
import { BEHAVIOUR_PARAM, checkTwins, PARAMS, replicaExists, ruleBreaks } from '../sim/params';
import { defaultScenario, replicaCount } from '../sim/scenario';
import { protocolOf } from '../sim/protocols';
import type { Behaviour, BehaviourKind, NetworkParams, ProtocolMode, Scenario } from '../sim/types';
import type { Lab, LabStoreOptions, Slice } from './labStore';
import { lessonById } from './lessons';
import { withoutMissingNodes } from './partitionSlice';
import { acceptSeed, clampBehaviourKnobs, clampF, normaliseNetwork } from './scenarioRules';

/** Every knob a behaviour may take (the parameter table says which behaviour takes which). */
type BehaviourKnobs = Required<Omit<Behaviour, 'kind'>>;

/** What the next replica the lecturer clicks becomes, with the knobs of every behaviour kept between switches. */
export interface BehaviourChoice extends BehaviourKnobs {
  kind: BehaviourKind;
}

export interface ScenarioState {
  scenario: Scenario;
  /** The lesson the scenario came from (kept in the URL), or null. */
  preset: string | null;
  behaviourChoice: BehaviourChoice;
}

export interface ScenarioActions {
  /** Changes n = 3f + 1 and restarts from the same seed, keeping the malicious marks that still exist. */
  setF(f: number): void;
  setSeed(seed: number): void;
  /** Applies to messages sent from now on; keeps minDelayMs ≤ maxDelayMs by moving the other bound. */
  setNetwork(p: Partial<NetworkParams>): void;
  chooseBehaviour(p: Partial<BehaviourChoice>): void;
  toggleMalicious(id: number): void;
  /**
   * Runs the same scenario under another protocol (a new run from the same seed). Liars whose behaviour means nothing
   * there become honest, and a notice says which.
   */
  setMode(mode: ProtocolMode): void;
  loadLesson(id: string): void;
}

/** The behaviour a click assigns: the chosen kind, with its knob when it takes one (the parameter table says which). */
export function behaviourFrom(choice: BehaviourChoice): Behaviour {
  const knob = BEHAVIOUR_PARAM[choice.kind]?.key as keyof BehaviourKnobs | undefined;
  return knob ? { kind: choice.kind, [knob]: choice[knob] } : { kind: choice.kind };
}

/** Why a behaviour cannot be given in a protocol, for a person: the descriptor's list is the one rule. */
export function notApplicable(kind: BehaviourKind, mode: ProtocolMode | undefined): string {
  const protocol = protocolOf(mode);
  return `${kind} does not apply to ${protocol.name}: ${NOT_APPLICABLE_WHY[kind] ?? 'it has no such step'}. It applies to ${protocol.behaviours.join(', ')}.`;
}

/** What the lie needs that the protocol does not have (only for behaviours some protocol lacks). */
const NOT_APPLICABLE_WHY: Partial<Record<BehaviourKind, string>> = {
  'forge-view-change': 'it forges PBFT’s VIEW-CHANGE certificates, and this protocol has no VIEW-CHANGE message',
  'forge-new-view': 'it forges PBFT’s NEW-VIEW re-proposals, and this protocol has none',
  'withhold-new-view': 'it withholds PBFT’s NEW-VIEW, and this protocol has no view-change protocol of that kind',
  seed: 'it is the seed article’s lie, made for its protocol',
};

function withoutMissingReplicas(malicious: Scenario['malicious'], n: number): Scenario['malicious'] {
  const kept: Scenario['malicious'] = {};
  for (const [id, b] of Object.entries(malicious)) if (replicaExists(Number(id), n)) kept[Number(id)] = b;
  return kept;
}

/** The twins that still exist with n replicas (the core's rule, checkTwins); none left: no twins. */
function withoutMissingTwins(s: Scenario, n: number): Scenario {
  const { twins, ...rest } = s;
  if (!twins) return s;
  const kept = checkTwins(twins.replicas.filter((id) => id < n), twins.side.filter((id) => id < n), n, s.malicious).twins;
  return kept.replicas.length > 0 ? { ...rest, twins: kept } : rest;
}

export function scenarioSlice(lab: Lab, options: Pick<LabStoreOptions, 'scenario' | 'preset'>): Slice<ScenarioState, ScenarioActions> {
  const { set, get } = lab;

  const newRun = (scenario: Scenario) => {
    set({ scenario });
    lab.send({ type: 'configure', scenario });
  };

  const actions: ScenarioActions = {
    setF(f) {
      if (!Number.isFinite(f)) return;
      const clamped = clampF(f);
      const { scenario } = get();
      if (clamped === scenario.f && scenario.n === undefined) return;
      const next: Scenario = { ...scenario, f: clamped, n: undefined };
      const n = replicaCount(next);
      newRun(withoutMissingTwins(withoutMissingNodes({ ...next, malicious: withoutMissingReplicas(scenario.malicious, n) }, n), n));
    },
    setSeed(seed) {
      const s = acceptSeed(seed);
      if (s === null || s === get().scenario.seed) return;
      newRun({ ...get().scenario, seed: s });
    },
    setNetwork(p) {
      const { scenario } = get();
      const network = normaliseNetwork(scenario, p);
      lab.resume(true);
      set({ scenario: { ...scenario, ...network } });
      lab.send({ type: 'setNetwork', network });
    },
    chooseBehaviour(p) {
      const choice = { ...get().behaviourChoice, ...clampBehaviourKnobs(get().behaviourChoice, p) };
      set({ behaviourChoice: choice });
      // Dragging "Omit probability" or "Extra delay" also retunes the replicas already lying that way.
      if (p.omitProbability !== undefined || p.extraDelayMs !== undefined) {
        const malicious = { ...get().scenario.malicious };
        const retune = Object.entries(malicious).filter(([, b]) => b.kind === choice.kind);
        if (retune.length === 0) return;
        lab.resume(true);
        for (const [id] of retune) {
          const retuned = behaviourFrom(choice);
          malicious[Number(id)] = retuned;
          lab.send({ type: 'setBehaviour', id: Number(id), behaviour: retuned });
        }
        set((s) => ({ scenario: { ...s.scenario, malicious } }));
      }
    },
    setMode(mode) {
      const { scenario } = get();
      if ((scenario.mode ?? 'pbft') === mode || !protocolOf(mode)) return;
      const next: Scenario = { ...scenario, mode };
      // The core's rule 'behaviour-protocol' decides what applies; here we only say what it cost.
      const dropped = ruleBreaks(next).flatMap((b) => (b.rule === 'behaviour-protocol' ? [b] : []));
      if (dropped.length > 0) {
        const malicious = { ...next.malicious };
        for (const b of dropped) delete malicious[Number(b.id)];
        next.malicious = malicious;
        const what = dropped.map((b) => `replica ${b.id} (${b.kind})`).join(', ');
        set((s) => ({ notices: [...s.notices, `${protocolOf(mode).name} has no such lie: ${what} ${dropped.length === 1 ? 'is' : 'are'} honest in this run.`] }));
      }
      newRun(next);
    },
    toggleMalicious(id) {
      const { scenario, behaviourChoice } = get();
      if (id < 0 || id >= replicaCount(scenario)) return;
      if (scenario.twins?.replicas.includes(id)) {
        // A twin runs honest code in both its instances (Twins); lying is another way of being faulty.
        set((s) => ({ notices: [...s.notices, `Replica ${id} runs as twins (its two instances run honest code), so it cannot also lie.`] }));
        return;
      }
      const applies = protocolOf(scenario.mode).behaviours.includes(behaviourChoice.kind);
      if (!scenario.malicious[id] && !applies) {
        set((s) => ({ notices: [...s.notices, notApplicable(behaviourChoice.kind, scenario.mode)] }));
        return;
      }
      lab.resume(true);
      const malicious = { ...scenario.malicious };
      const behaviour = malicious[id] ? null : behaviourFrom(behaviourChoice);
      if (behaviour) malicious[id] = behaviour;
      else delete malicious[id];
      set({ scenario: { ...scenario, malicious } });
      lab.send({ type: 'setBehaviour', id, behaviour });
    },
    loadLesson(id) {
      const lesson = lessonById(id);
      if (!lesson) return;
      set((s) => ({
        preset: lesson.id,
        playback: { ...s.playback, playing: false },
        selection: { replica: null, message: null },
        inspection: null,
        // The lesson's explanation takes the place of an open drawer (none opens over a bare stage).
        ui: s.ui.drawer ? { ...s.ui, drawer: 'lesson' } : s.ui,
      }));
      get().actions.setSpeed(lesson.speed);
      lab.send({ type: 'pause' });
      newRun(structuredClone(lesson.scenario));
    },
  };

  return {
    state: {
      scenario: options.scenario ?? defaultScenario(),
      preset: options.preset ?? null,
      behaviourChoice: { kind: 'silent', omitProbability: PARAMS.omitProbability.default, extraDelayMs: PARAMS.extraDelayMs.default },
    },
    actions,
    hooks: {},
  };
}
