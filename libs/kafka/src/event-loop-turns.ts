import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Synchronous work longer than this between two turns of the event loop
 * delays the batch's heartbeats (sent every second while a batch is handled)
 * and everything else the service answers meanwhile (health, metrics).
 */
export const WORK_SLICE_MS = 100;

/**
 * A pause for a loop of synchronous work: call it between items, and it lets
 * the event loop turn once the current slice has run `sliceMs`, so timers
 * (the heartbeat) and I/O go on during a long batch. Without it, an X12
 * batch's transaction sets (a hundred claims each, megabytes of them)
 * were normalized in one piece, the group's session (10 s) expired under a
 * loaded machine, and every such batch was redone after a rebalance.
 */
export function eventLoopTurns(
  sliceMs: number = WORK_SLICE_MS,
  now: () => number = () => performance.now(),
  turn: () => Promise<unknown> = () => nextTurn(),
): () => Promise<void> {
  let sliceStartedAt = now();
  return async () => {
    if (now() - sliceStartedAt < sliceMs) return;
    await turn();
    sliceStartedAt = now();
  };
}
