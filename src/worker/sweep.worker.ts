/// <reference lib="webworker" />
/**
 * Thin wiring only: every decision lives in sweepHost.ts so it can be tested without a Worker.
 */
import type { SweepCommand, SweepEvent } from './sweepProtocol';
import { createSweepHost } from './sweepHost';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const host = createSweepHost((event: SweepEvent) => scope.postMessage(event), { clock: () => performance.now() });

scope.onmessage = (e: MessageEvent<SweepCommand>) => host.handle(e.data);
