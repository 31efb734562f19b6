/**
 * What the simulation worker and the sweep workers share: how a Worker (or the same host on this thread, in tests)
 * is wired to the page. Each protocol brings its own command and event types and its own error event.
 */

/** One worker as the page sees it. */
export interface WorkerLink<Command> {
  send(cmd: Command): void;
  /** Stops it at once, even mid-work. */
  dispose(): void;
}

/** How a protocol phrases "the worker failed": its error event for this message. */
export interface WorkerFailures<Event> {
  asError(message: string): Event;
  /** Said when the worker died without a message of its own (e.g. its module failed to load). */
  crashed: string;
  unreadable: string;
}

/**
 * Wires a Worker built at the call site (Vite bundles a worker only from a literal `new Worker(new URL(…))`). Uncaught
 * errors outside the host's own guard become the protocol's error event: the page shows them; the console need not.
 */
export function linkWorker<Command, Event>(worker: Worker, onEvent: (event: Event) => void, failures: WorkerFailures<Event>): WorkerLink<Command> {
  worker.onmessage = (e: MessageEvent<Event>) => onEvent(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    onEvent(failures.asError(e.message || failures.crashed));
  };
  worker.onmessageerror = () => onEvent(failures.asError(failures.unreadable));
  return {
    send: (cmd) => worker.postMessage(cmd),
    dispose: () => worker.terminate(),
  };
}

export interface HostLike<Command> {
  handle(cmd: Command): void;
  dispose?(): void;
}

/**
 * The worker's host on this thread. Events arrive cloned on later microtasks, as postMessage would deliver them, so
 * code that works here does not rely on synchronous replies that a real Worker never gives. With `commandsLater`,
 * commands also run on a later macrotask (a sweep's pool must never see an answer before its own send returns).
 */
export function linkInProcess<Command, Event>(
  createHost: (post: (event: Event) => void) => HostLike<Command>,
  onEvent: (event: Event) => void,
  commandsLater = false,
): WorkerLink<Command> {
  let open = true;
  const host = createHost((event) => {
    const copy = structuredClone(event);
    queueMicrotask(() => {
      if (open) onEvent(copy);
    });
  });
  const run = (cmd: Command) => {
    if (open) host.handle(cmd);
  };
  return {
    send: (cmd) => {
      const copy = structuredClone(cmd);
      if (commandsLater) setTimeout(() => run(copy), 0);
      else run(copy);
    },
    dispose: () => {
      open = false;
      host.dispose?.();
    },
  };
}
