import type { Deadline } from '@grpc/grpc-js';

/**
 * Stops `Date` (and only `Date`) where it is: timers, sockets and gRPC keep running in real time, while every
 * deadline computed from the clock (by the gateway, by grpc-js on both ends of a call) comes out exact. Undo with
 * `jest.useRealTimers()`.
 */
export function freezeDate(): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** The time a server call was given, as the server sees it (exact while the date is frozen). */
export function deadlineMsOf(call: { getDeadline(): Deadline }): number {
  return new Date(call.getDeadline()).getTime() - Date.now();
}
