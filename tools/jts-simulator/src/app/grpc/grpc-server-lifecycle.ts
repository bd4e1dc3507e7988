import { Server, ServerCredentials } from '@grpc/grpc-js';
import { listenAddress } from '@qts/service-infra';

/** Binds an insecure listener; resolves with the bound port (the picked one for port 0). */
export function bindServer(server: Server, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(listenAddress(host, port), ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error !== null) {
        reject(new Error(`${what}: cannot listen on ${listenAddress(host, port)}: ${error.message}`));
      } else {
        resolve(boundPort);
      }
    });
  });
}

/**
 * How long in-flight calls get to send the status `beforeForce` gave them before their connections are
 * cut: enough to flush a trailer frame on loopback.
 */
export const STATUS_FLUSH_MS = 50;

/**
 * Stops accepting connections at once and lets calls in flight finish for up to `graceMs`; then
 * `beforeForce` runs (it makes the remaining calls answer, e.g. UNAVAILABLE) and, after a short flush,
 * the connections still open are cut. Resolves when the listening socket and every connection are
 * closed, so the same port can be bound again right away.
 */
export function shutdownServer(server: Server, graceMs: number, beforeForce: () => void = () => undefined): Promise<void> {
  return new Promise((resolve) => {
    let forceTimer: ReturnType<typeof setTimeout> | undefined;
    const graceTimer = setTimeout(() => {
      beforeForce();
      forceTimer = setTimeout(() => server.forceShutdown(), STATUS_FLUSH_MS);
    }, Math.max(0, graceMs));
    server.tryShutdown(() => {
      clearTimeout(graceTimer);
      clearTimeout(forceTimer);
      resolve();
    });
  });
}
