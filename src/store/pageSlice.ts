/**
 * The page around the run: theme, presentation mode, help, what is selected, the inspector's data and the notices.
 * The inspector's data comes from the worker: live with every batch while following, or asked for once a frame at
 * the moment on screen while someone looks at the past.
 */
import { replicaCount } from '../sim/scenario';
import type { ReplicaInspection } from '../sim/types';
import type { BatchEvent, InspectionEvent } from '../worker/protocol';
import type { Lab, LabStoreOptions, Slice } from './labStore';

export type Theme = 'system' | 'light' | 'dark';

/** The drawers beside (or over) the stage; at most one is open. */
export const DRAWERS = ['status', 'scenario', 'network', 'attack', 'inspector', 'lesson', 'share'] as const;
export type DrawerId = (typeof DRAWERS)[number];

/** What a click (or a tap) on a replica does: toggle it malicious, or open it in the inspector. */
export type ReplicaClick = 'malicious' | 'inspect';

export interface UiState {
  theme: Theme;
  presentation: boolean;
  helpOpen: boolean;
  /** The open drawer, or null: the stage alone. */
  drawer: DrawerId | null;
  replicaClick: ReplicaClick;
  /** `?embed=1`: the stage and the playback bar only, for an iframe (no header, no drawers). */
  embed: boolean;
}

export interface Selection {
  replica: number | null;
  /** A message id: its arrow in the space-time diagram and its dot or wire in the graph are highlighted. */
  message: number | null;
}

export interface InspectionState {
  id: number;
  /** Trace index it describes. */
  at: number;
  data: ReplicaInspection;
}

export interface PageState {
  selection: Selection;
  inspection: InspectionState | null;
  ui: UiState;
  /** Sentences about things that were ignored or went wrong without stopping anything (bad URL values, imports). */
  notices: string[];
}

export interface PageActions {
  selectReplica(id: number | null): void;
  selectMessage(id: number | null): void;
  dismissNotice(index: number): void;
  setTheme(theme: Theme): void;
  togglePresentation(): void;
  setHelpOpen(open: boolean): void;
  /** Opens one drawer (closing the one open), or closes it with null. */
  setDrawer(drawer: DrawerId | null): void;
  /** Opens a drawer, or closes it when it is the one open. */
  toggleDrawer(drawer: DrawerId): void;
  setReplicaClick(mode: ReplicaClick): void;
}

export interface PageHooks {
  /** Asks the worker for the selected replica at the moment on screen: now, or at most once a frame. */
  queueInspect(now?: boolean): void;
  /** The worker's answer about a replica at a past moment. */
  inspected(event: InspectionEvent): void;
}

/** The live inspection a batch carries for the selected replica, or null when it carries none. */
export function batchInspection(batch: BatchEvent, replica: number): InspectionState | null {
  return batch.inspection ? { id: replica, at: batch.traceLength, data: batch.inspection } : null;
}

export function pageSlice(lab: Lab, options: Pick<LabStoreOptions, 'notices' | 'theme' | 'preset' | 'embed'>): Slice<PageState, PageActions, PageHooks> {
  const { set, get } = lab;
  let inspectQueued = false;

  const queueInspect = (now = false) => {
    const ask = () => {
      inspectQueued = false;
      const { selection, following, cursor } = get();
      if (selection.replica === null) return;
      lab.send({ type: 'inspect', id: selection.replica, ...(following ? {} : { at: cursor }) });
    };
    if (now) return ask();
    if (get().selection.replica === null || inspectQueued) return;
    inspectQueued = true;
    lab.requestFrame(ask);
  };

  const actions: PageActions = {
    selectReplica(id) {
      const n = get().run.n || replicaCount(get().scenario);
      const replica = id !== null && id >= 0 && id < n ? id : null;
      // Choosing a replica opens the inspector, wherever it was chosen from (a number key, a tap in Inspect mode).
      set((s) => ({
        selection: { ...s.selection, replica },
        inspection: replica === null ? null : s.inspection,
        ui: replica === null || s.ui.drawer === 'inspector' ? s.ui : { ...s.ui, drawer: 'inspector' },
      }));
      if (replica === null) lab.send({ type: 'inspect', id: null });
      else queueInspect(true);
    },
    selectMessage(id) {
      set((s) => ({ selection: { ...s.selection, message: id } }));
    },
    dismissNotice(index) {
      set((s) => ({ notices: s.notices.filter((_, i) => i !== index) }));
    },
    setTheme(theme) {
      set((s) => ({ ui: { ...s.ui, theme } }));
    },
    togglePresentation() {
      // Presentation is the picture for the room: a drawer open over it would hide part of it, so it closes.
      set((s) => ({ ui: { ...s.ui, presentation: !s.ui.presentation, drawer: s.ui.presentation ? s.ui.drawer : null } }));
    },
    setHelpOpen(open) {
      set((s) => ({ ui: { ...s.ui, helpOpen: open } }));
    },
    setDrawer(drawer) {
      set((s) => (s.ui.drawer === drawer ? {} : { ui: { ...s.ui, drawer } }));
    },
    toggleDrawer(drawer) {
      set((s) => ({ ui: { ...s.ui, drawer: s.ui.drawer === drawer ? null : drawer } }));
    },
    setReplicaClick(replicaClick) {
      set((s) => ({ ui: { ...s.ui, replicaClick } }));
    },
  };

  return {
    state: {
      selection: { replica: null, message: null },
      inspection: null,
      ui: {
        theme: options.theme ?? 'system',
        presentation: false,
        helpOpen: false,
        // The stage alone; a lesson's link opens with its explanation beside it (never over it: where a drawer would
        // lie over the stage the page closes it at once, src/ui/stage/dock.ts).
        drawer: !options.embed && options.preset ? 'lesson' : null,
        replicaClick: 'malicious',
        embed: options.embed ?? false,
      },
      notices: options.notices ?? [],
    },
    actions,
    hooks: {
      queueInspect,
      inspected(event) {
        if (get().selection.replica === event.id) set({ inspection: { id: event.id, at: event.at, data: event.inspection } });
      },
    },
  };
}
