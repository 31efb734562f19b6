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

export interface UiState {
  theme: Theme;
  presentation: boolean;
  helpOpen: boolean;
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

export function pageSlice(lab: Lab, options: Pick<LabStoreOptions, 'notices' | 'theme'>): Slice<PageState, PageActions, PageHooks> {
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
      set((s) => ({ selection: { ...s.selection, replica }, inspection: replica === null ? null : s.inspection }));
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
      set((s) => ({ ui: { ...s.ui, presentation: !s.ui.presentation } }));
    },
    setHelpOpen(open) {
      set((s) => ({ ui: { ...s.ui, helpOpen: open } }));
    },
  };

  return {
    state: {
      selection: { replica: null, message: null },
      inspection: null,
      ui: { theme: options.theme ?? 'system', presentation: false, helpOpen: false },
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
