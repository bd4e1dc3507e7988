import type { DataSource, EntityManager } from 'typeorm';

type Work<T> = (manager: EntityManager) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Makes what was committed so far durable; resolves once it is. */
export type CommitFlush = () => Promise<void>;

/**
 * Group commit for SQLite's single connection: units of work run one at a time, and those that queue up while a
 * transaction is open share the next one, each inside its own SAVEPOINT (a failing unit is rolled back alone). A
 * unit's promise settles only once its COMMIT is durable, so a caller never acts on a write that could still be lost
 * (the order is marked as sent before the broker is called).
 *
 * Durability: with `flush` (the WAL synced on libuv's thread pool, the connection at synchronous=NORMAL) the next
 * batch runs while the previous one is being synced, and the event loop never waits for the disk; without it the
 * COMMIT itself must be durable (synchronous=FULL), each one an fsync that blocks the event loop.
 */
export class GroupCommit {
  private readonly pending: Unit[] = [];
  private draining = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxBatch = 256,
    private readonly flush?: CommitFlush,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        // better-sqlite3 is synchronous and every unit resolves in a microtask: without this yield a burst of
        // intents would keep the event loop from reading broker answers (their deadlines would expire unread).
        // Units arriving meanwhile join the batch.
        await new Promise((resolve) => setImmediate(resolve));
        await this.commitBatch(this.pending.splice(0, this.maxBatch));
      }
    } finally {
      this.draining = false;
    }
  }

  private async commitBatch(batch: Unit[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const unit of batch) {
          await manager.query('SAVEPOINT unit_of_work');
          try {
            const value = await unit.work(manager);
            await manager.query('RELEASE SAVEPOINT unit_of_work');
            outcomes.push({ ok: true, value });
          } catch (error) {
            await manager.query('ROLLBACK TO SAVEPOINT unit_of_work');
            await manager.query('RELEASE SAVEPOINT unit_of_work');
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      // Nothing of the batch was committed.
      for (const unit of batch) unit.reject(error);
      return;
    }
    const settle = (): void =>
      batch.forEach((unit, index) => (outcomes[index].ok ? unit.resolve(outcomes[index].value) : unit.reject(outcomes[index].value)));
    if (this.flush === undefined) {
      settle();
      return;
    }
    // Not awaited: the next batch is written while this one is synced. Flushes complete in order, and each covers
    // every batch committed before it started, so no unit settles before the ones committed earlier are durable.
    void this.flush().then(settle, (error: unknown) => {
      // Committed, but not known to be durable: nobody may act on it. The callers see a database failure.
      for (const unit of batch) unit.reject(error);
    });
  }
}
