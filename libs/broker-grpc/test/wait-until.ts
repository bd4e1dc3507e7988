/**
 * Polls `predicate` every few milliseconds until it holds; fails with `message` after `timeoutMs`.
 * For state reached through real sockets (a probe, a reconnect), where fake timers cannot help.
 */
export async function waitUntil(predicate: () => boolean, message: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
