/**
 * Resolves after `ms` milliseconds, or early (still resolving, never rejecting) when the signal aborts
 * or `wake` is called. The timer is unref'd: a pending delay never keeps the process alive.
 * Returns whether the full delay elapsed.
 */
export function abortableDelay(ms: number, signal?: AbortSignal): { promise: Promise<boolean>; wake: () => void } {
  let wake: () => void = () => undefined;
  const promise = new Promise<boolean>((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const finish = (elapsed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(elapsed);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(true), Math.max(0, ms));
    timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    wake = () => finish(false);
  });
  return { promise, wake };
}
