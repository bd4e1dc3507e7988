import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualRateLimitClock } from '../src/lib/manual-rate-limit-clock';
import type { RateLimiterOptions } from '../src/lib/rate-limit-options';
import type { SharedRateLimitLedger } from '../src/lib/shared/shared-rate-limit-ledger';
import { SharedRateLimiter } from '../src/lib/shared/shared-rate-limiter';
import { SqliteLedgerFile, type LedgerDoorbell } from '../src/lib/sqlite/sqlite-rate-limit-ledger';

/** A doorbell for processes simulated in one test process: rings reach every listener at once. */
export class InProcessDoorbell implements LedgerDoorbell {
  private readonly listeners = new Set<() => void>();
  rings = 0;

  ring(): void {
    this.rings++;
    for (const listener of [...this.listeners]) listener();
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    // Shared by the simulated processes: nothing to release.
  }
}

/** A ledger that can be made unreachable, as Redis or a locked file can be. */
export class InterruptibleLedger implements SharedRateLimitLedger {
  down = false;
  readonly kind: 'local' | 'redis';
  readonly description: string;

  constructor(private readonly inner: SharedRateLimitLedger) {
    this.kind = inner.kind;
    this.description = inner.description;
  }

  private check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
  }

  async take(...args: Parameters<SharedRateLimitLedger['take']>) {
    this.check();
    return this.inner.take(...args);
  }
  async complete(...args: Parameters<SharedRateLimitLedger['complete']>) {
    this.check();
    return this.inner.complete(...args);
  }
  async dropTicket(...args: Parameters<SharedRateLimitLedger['dropTicket']>) {
    this.check();
    return this.inner.dropTicket(...args);
  }
  async heartbeat(...args: Parameters<SharedRateLimitLedger['heartbeat']>) {
    this.check();
    return this.inner.heartbeat(...args);
  }
  async restore(...args: Parameters<SharedRateLimitLedger['restore']>) {
    this.check();
    return this.inner.restore(...args);
  }
  async estimateWaitMs(...args: Parameters<SharedRateLimitLedger['estimateWaitMs']>) {
    this.check();
    return this.inner.estimateWaitMs(...args);
  }
  onWake(listener: () => void): () => void {
    return this.inner.onWake(listener);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface SimulatedProcess {
  readonly file: SqliteLedgerFile;
  readonly ledger: InterruptibleLedger;
  readonly limiter: SharedRateLimiter;
}

/**
 * Several "processes" sharing one SQLite ledger file, in this test process: each its own database
 * connection, owner and limiter; one manual clock for the ledger time and every timer.
 */
export class SharedLedgerHarness {
  readonly clock = new ManualRateLimitClock(1_000);
  readonly doorbell = new InProcessDoorbell();
  readonly dir = mkdtempSync(join(tmpdir(), 'rate-limit-ledger-'));
  readonly path = join(this.dir, 'rate-limit.sqlite');
  private readonly processes: SimulatedProcess[] = [];

  process(
    options: Omit<RateLimiterOptions, 'clock'>,
    name = `p${this.processes.length}`,
    ownerTtlMs = 3_000,
  ): SimulatedProcess {
    const owner = { ownerId: name, ownerTtlMs };
    const file = new SqliteLedgerFile({
      path: this.path,
      owner,
      now: () => this.clock.now(),
      doorbell: this.doorbell,
    });
    const ledger = new InterruptibleLedger(file.ledger('kis'));
    const limiter = new SharedRateLimiter({
      ...options,
      name: 'kis',
      clock: this.clock,
      ledger,
      owner,
      heartbeatMs: 1_000,
    });
    const simulated = { file, ledger, limiter };
    this.processes.push(simulated);
    return simulated;
  }

  async close(): Promise<void> {
    for (const { limiter, file } of this.processes) {
      await limiter.close().catch(() => undefined);
      file.close();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
