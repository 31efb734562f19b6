/**
 * Partitions and faulty links drawn by hand: the graph's network tools (a drag cuts the network in two, a lasso cuts a
 * group off, a click on a wire opens its menu), the keyboard's dialog, and the actions they end in. Each action is an
 * intervention at the moment on screen (acting in the past replaces the future, as any other does) and changes the
 * scenario as it stands now, so the URL and a reset carry it. The rule for a message across a cut is the core's
 * (src/sim/network.ts); what is drawn at a moment is derived from the run's interventions (networkOnScreen).
 */
import { clampTo, nodeExists, PARAMS } from '../sim/params';
import { linkEnds, withLink } from '../sim/network';
import { networkAt, type PictureSettings } from '../sim/picture';
import { replicaCount } from '../sim/scenario';
import type { CutRule, LinkKnobs, NodeId, Scenario } from '../sim/types';
import type { Lab, LabState, Slice } from './labStore';

export interface PartitionUi {
  /** The graph's network tools are on: a drag on the graph cuts the network, a click on a wire opens its link menu. */
  tools: boolean;
  /** What a cut drawn by hand does to the messages across it. */
  rule: CutRule;
  /** The link whose menu is open, or null. */
  link: { a: NodeId; b: NodeId } | null;
  /** The dialog that lists the nodes (the keyboard's way to cut). */
  dialogOpen: boolean;
  /** The knobs a link's menu offers first (the last ones chosen). */
  linkChoice: LinkKnobs;
  /** What the last stroke on the graph did, or why it did nothing. */
  note: string | null;
}

export interface PartitionState {
  partitionUi: PartitionUi;
}

export interface PartitionActions {
  setNetworkTools(on: boolean): void;
  setCutRule(rule: CutRule): void;
  /**
   * Cuts the network in two now: `side` (replica ids, CLIENT for the client) against every other node, with `rule` (the
   * chosen one by default); replaces any partition standing. False (and nothing done) when a side would be empty.
   */
  cut(side: readonly NodeId[], rule?: CutRule): boolean;
  /** Joins the sides again: messages held at the cut go on, in the order they were sent. */
  heal(): void;
  /** Opens (or with null closes) the menu of the link between a and b. */
  openLink(link: { a: NodeId; b: NodeId } | null): void;
  /** Makes the link between a and b slow and/or lossy from now on, or normal with null (or both knobs at 0). */
  setLinkFault(a: NodeId, b: NodeId, fault: LinkKnobs | null): void;
  /** The knobs a link's menu offers, clamped into the table's ranges. */
  chooseLinkKnobs(p: Partial<LinkKnobs>): void;
  setPartitionDialog(open: boolean): void;
  /** Says what the last stroke did (or why nothing), under the tools. */
  setNetworkNote(note: string | null): void;
}

/** One side of a cut as a set of existing nodes, sorted; null when it or the other side would be empty. */
export function normaliseSide(side: readonly NodeId[], n: number): NodeId[] | null {
  const kept = [...new Set(side.filter((id) => nodeExists(id, n)))].sort((a, b) => a - b);
  return kept.length === 0 || kept.length >= n + 1 ? null : kept;
}

/** The scenario without the nodes a smaller n no longer has (a partition left one-sided goes; so do links to them). */
export function withoutMissingNodes(s: Scenario, n: number): Scenario {
  const { partition, links, ...rest } = s;
  const side = partition ? normaliseSide(partition, n) : null;
  const kept = (links ?? []).filter((l) => nodeExists(l.a, n) && nodeExists(l.b, n));
  return { ...rest, ...(side ? { partition: side } : {}), ...(kept.length > 0 ? { links: kept } : {}) };
}

/** What the picture on screen shows of the network: the partition standing then and the faulty links, as a key that compares by value. */
export function networkKeyOnScreen(s: Pick<LabState, 'run' | 'cursor' | 'scenario'>): string {
  const scenario = s.run.scenario ?? s.scenario;
  return JSON.stringify(networkAt(scenario, s.run.interventions, s.cursor));
}

export type NetworkOnScreen = Pick<PictureSettings, 'partition' | 'links'>;

export function partitionSlice(lab: Lab): Slice<PartitionState, PartitionActions> {
  const { set, get } = lab;
  const ui = (patch: Partial<PartitionUi>) => set((s) => ({ partitionUi: { ...s.partitionUi, ...patch } }));
  const nodes = () => get().run.n || replicaCount(get().scenario);

  const actions: PartitionActions = {
    setNetworkTools(tools) {
      ui(tools ? { tools } : { tools, link: null, note: null });
    },
    setCutRule(rule) {
      ui({ rule });
    },
    cut(side, rule = get().partitionUi.rule) {
      const kept = normaliseSide(side, nodes());
      if (!kept || get().error) return false;
      lab.resume(true);
      set((s) => ({ scenario: { ...s.scenario, partition: kept, partitionRule: rule } }));
      lab.send({ type: 'setPartition', partition: { side: kept, rule } });
      return true;
    },
    heal() {
      if (get().error) return;
      lab.resume(true);
      set((s) => {
        const { partition: _gone, ...rest } = s.scenario;
        return { scenario: rest };
      });
      lab.send({ type: 'setPartition', partition: null });
    },
    openLink(link) {
      if (!link) return ui({ link: null });
      const [a, b] = linkEnds(link.a, link.b);
      // The menu starts from the link's own knobs; a normal link's from another faulty link on screen, so "slow as
      // well" means as slow as the one already drawn.
      const { links } = networkAt(get().run.scenario ?? get().scenario, get().run.interventions, get().cursor);
      const own = links.find((l) => l.a === a && l.b === b);
      const like = own ?? links.at(-1);
      ui({ link: { a, b }, ...(like ? { linkChoice: { ...get().partitionUi.linkChoice, ...nonZero(like) } } : {}) });
    },
    setLinkFault(a, b, fault) {
      const n = nodes();
      if (!nodeExists(a, n) || !nodeExists(b, n) || a === b || get().error) return;
      const knobs = fault ? clampKnobs(fault) : null;
      const effective = knobs && (knobs.extraDelayMs > 0 || knobs.dropRate > 0) ? knobs : null;
      lab.resume(true);
      set((s) => {
        const links = withLink(s.scenario.links, a, b, effective);
        const { links: _old, ...rest } = s.scenario;
        return { scenario: links.length > 0 ? { ...rest, links } : rest };
      });
      lab.send({ type: 'setLink', a, b, fault: effective });
      if (knobs) ui({ linkChoice: { ...get().partitionUi.linkChoice, ...nonZero(knobs) } });
    },
    chooseLinkKnobs(p) {
      ui({ linkChoice: { ...get().partitionUi.linkChoice, ...clampKnobs({ ...get().partitionUi.linkChoice, ...p }) } });
    },
    setPartitionDialog(dialogOpen) {
      ui(dialogOpen ? { dialogOpen, link: null } : { dialogOpen });
    },
    setNetworkNote(note) {
      ui({ note });
    },
  };

  return {
    state: {
      partitionUi: {
        tools: false,
        rule: 'lose',
        link: null,
        dialogOpen: false,
        note: null,
        linkChoice: { extraDelayMs: PARAMS.linkDelayMs.default, dropRate: PARAMS.linkDropRate.default },
      },
    },
    actions,
    hooks: {},
  };
}

function clampKnobs(k: LinkKnobs): LinkKnobs {
  const num = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);
  return {
    extraDelayMs: clampTo(PARAMS.linkDelayMs, num(k.extraDelayMs, 0)),
    dropRate: clampTo(PARAMS.linkDropRate, num(k.dropRate, 0)),
  };
}

/** The knobs worth remembering as the next menu's start: those set above 0. */
function nonZero(k: LinkKnobs): Partial<LinkKnobs> {
  return { ...(k.extraDelayMs > 0 ? { extraDelayMs: k.extraDelayMs } : {}), ...(k.dropRate > 0 ? { dropRate: k.dropRate } : {}) };
}
