/// <reference lib="webworker" />
/**
 * Thin wiring only: every decision lives in attackHost.ts so it can be tested without a Worker.
 */
import type { AttackCommand, AttackEvent } from './attackProtocol';
import { createAttackHost } from './attackHost';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const host = createAttackHost((event: AttackEvent) => scope.postMessage(event), { clock: () => performance.now() });

scope.onmessage = (e: MessageEvent<AttackCommand>) => host.handle(e.data);
