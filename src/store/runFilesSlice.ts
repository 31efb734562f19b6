/**
 * Run files in and out. The worker parses, validates and replays an imported file off this thread and answers it by
 * request: with `importFailed`, or with the reset batch of the new run and, for a long run, further chunks. Exporting
 * writes what the page holds, or — when older history was compacted — asks the worker to replay the whole trace.
 */
import { exportRun } from '../sim/share';
import type { TraceEvent } from '../sim/types';
import type { BatchEvent, ImportFailedEvent, TraceEventList } from '../worker/protocol';
import type { Lab, LabState, Slice } from './labStore';
import { takeBatch, type RunState } from './replay';
import { applyBatch, type TimelineState } from './timeline';

export interface RunFilesState {
  importError: string | null;
}

export interface RunFilesActions {
  /**
   * Loads a run file (the worker parses, validates and replays it, off this thread). Resolves true once the run is
   * shown; false when the file is refused, which leaves the current run alone and sets `importError`.
   */
  importRunText(text: string): Promise<boolean>;
  /** Refuses a file before reading it (e.g. too large), with the same message and the same kept run. */
  refuseImport(reason: string): void;
  /** The run file of what the page holds; throws when older history was compacted (use exportRunFile). */
  exportRunText(): string;
  /** The run file of the whole run: when the page compacted older history, the worker replays it from the seed. */
  exportRunFile(): Promise<string>;
  dismissImportError(): void;
}

export interface RunFilesHooks {
  /** On the first batch of a run: what it changes when it is an imported file (and the import it answers). */
  fileBegun(batch: BatchEvent, run: RunState, live: TimelineState): Partial<LabState>;
  /** Folds the next chunk of an imported run, shown with its last; false when no import is arriving. */
  takeImportChunk(batch: BatchEvent, realNow: number): boolean;
  traced(event: TraceEventList): void;
  importFailed(event: ImportFailedEvent): void;
  /** The worker stopped or the lab closed: every file still waiting for it fails. */
  failPending(reason: string): void;
}

export function runFilesSlice(lab: Lab): Slice<RunFilesState, RunFilesActions, RunFilesHooks> {
  const { set, get } = lab;
  /** Run files being loaded, by request: each is answered by an `importFailed` or by the reset batch of its run. */
  let importRequests = 0;
  const pendingImports = new Map<number, (loaded: boolean) => void>();
  /**
   * An imported run arriving in chunks: the first (the reset batch) shows the new run at once; the rest are folded in as
   * they come but shown together, with the last, so loading a long run costs two renders instead of one per chunk.
   */
  let importing: { request: number; length: number; live: TimelineState } | null = null;
  /** Run-file requests waiting for the worker's replay of the whole trace. */
  let exportRequests = 0;
  const pendingExports = new Map<number, { resolve(events: TraceEvent[]): void; reject(err: Error): void }>();

  const settleImport = (request: number, loaded: boolean) => {
    pendingImports.get(request)?.(loaded);
    pendingImports.delete(request);
  };

  const actions: RunFilesActions = {
    importRunText(text) {
      if (!lab.running()) {
        actions.refuseImport('The simulation is stopped (see the message above); restart it, then import again.');
        return Promise.resolve(false);
      }
      const request = ++importRequests;
      return new Promise<boolean>((resolve) => {
        pendingImports.set(request, resolve);
        lab.send({ type: 'import', text, request });
      });
    },
    refuseImport(reason) {
      set({ importError: `Import failed: ${reason} The current run is unchanged.` });
    },
    exportRunText() {
      const { run, scenario } = get();
      if (run.base > 0) throw new Error('Older history was compacted; export the run with exportRunFile.');
      return exportRun(run.scenario ?? scenario, run.interventions, run.trace.slice(0, run.length - run.base));
    },
    async exportRunFile() {
      const { run, scenario } = get();
      if (run.base === 0) return actions.exportRunText();
      const request = ++exportRequests;
      const events = await new Promise<TraceEvent[]>((resolve, reject) => {
        if (!lab.running()) {
          reject(new Error('The simulation is not running.'));
          return;
        }
        pendingExports.set(request, { resolve, reject });
        lab.send({ type: 'exportTrace', upTo: run.length, request });
      });
      return exportRun(run.scenario ?? scenario, run.interventions, events);
    },
    dismissImportError() {
      set({ importError: null });
    },
  };

  const hooks: RunFilesHooks = {
    fileBegun(batch, run, live) {
      importing = null;
      if (!batch.imported) return {};
      const { request, length, differs } = batch.imported;
      if (batch.traceLength < length) importing = { request, length, live };
      else settleImport(request, true);
      const patch: Partial<LabState> = run.scenario ? { importError: null, preset: null, scenario: run.scenario } : {};
      if (differs) {
        patch.notices = [...get().notices, 'The imported trace differs from what this version of PBFT Lab simulates for its scenario; the re-simulated run is shown.'];
      }
      return patch;
    },
    takeImportChunk(batch, realNow) {
      if (!importing) return false;
      const { run } = get();
      takeBatch(run, batch);
      importing.live = applyBatch(importing.live, batch, run, realNow);
      if (batch.traceLength < importing.length) return true;
      const loaded = importing;
      importing = null;
      set({ run: { ...run }, live: loaded.live, following: true });
      settleImport(loaded.request, true);
      return true;
    },
    traced(event) {
      const pending = pendingExports.get(event.request);
      pendingExports.delete(event.request);
      pending?.resolve(event.events);
    },
    importFailed(event) {
      actions.refuseImport(event.message);
      settleImport(event.request, false);
    },
    failPending(reason) {
      importing = null;
      // An import cut short by the same failure loads nothing.
      for (const settle of pendingImports.values()) settle(false);
      pendingImports.clear();
      for (const pending of pendingExports.values()) pending.reject(new Error(reason));
      pendingExports.clear();
    },
  };

  return { state: { importError: null }, actions, hooks };
}
