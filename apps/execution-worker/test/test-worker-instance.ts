import { hostname } from 'node:os';
import type { WorkerInstance } from '../src/app/persistence/worker-instance';

let next = 0;

/**
 * A worker identity for tests. By default a process of this host with this test process's pid: as a worker that
 * restarted here, it finds the leases of earlier test instances gone (same host, same pid). Give another `host` to
 * stand for a worker running elsewhere, whose lease only expires.
 */
export function testWorkerInstance(overrides: Partial<WorkerInstance> = {}): WorkerInstance {
  next += 1;
  const host = overrides.host ?? hostname().slice(0, 80);
  const pid = overrides.pid ?? process.pid;
  return { id: overrides.id ?? `${host}/${pid}/test-${next}`, host, pid };
}
