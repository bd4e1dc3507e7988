import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This worker process as the database knows it: the owner of the intents it stores or takes over. */
export interface WorkerInstance {
  /** Unique per process start: `<host>/<pid>/<random>`. */
  readonly id: string;
  /** The host name (the pod name on Kubernetes). */
  readonly host: string;
  readonly pid: number;
}

export const WORKER_INSTANCE = Symbol('WORKER_INSTANCE');

/** The identity of this process. */
export function currentWorkerInstance(): WorkerInstance {
  const host = hostname().slice(0, 80);
  return { id: `${host}/${process.pid}/${randomBytes(6).toString('hex')}`, host, pid: process.pid };
}

/**
 * Whether the process that holds a lease is known to be gone without waiting for its lease to expire: it ran on
 * this host (same host name, so the same process table: one pod, or one machine) and its pid is not running, or is
 * this very process (a container restarted in its pod gets the same pid as the run before it).
 */
export function isGoneFromThisHost(lease: { host: string; pid: number }, self: WorkerInstance): boolean {
  if (lease.host !== self.host) return false;
  if (lease.pid === self.pid) return true;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
