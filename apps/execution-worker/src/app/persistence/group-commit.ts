import type { DataSource, EntityManager } from 'typeorm';

type Work<T> = (manager: EntityManager) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit for SQLite's single connection: units of work run one at a time, and those that queue up while a
 * transaction is open share the next one, each inside its own SAVEPOINT (a failing unit is rolled back alone). A
 * unit's promise settles only after the COMMIT, so a caller never acts on a write that is not durable yet (the
 * order is marked as sent before the broker is called). With synchronous=FULL every COMMIT is an fsync that blocks
 * the event loop; under a burst of intents one fsync covers many of them, and the event loop gets a turn between
 * two batches.
 */
export class GroupCommit {
  private readonly pending: Unit[] = [];
  private draining = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxBatch = 256,
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
    batch.forEach((unit, index) => (outcomes[index].ok ? unit.resolve(outcomes[index].value) : unit.reject(outcomes[index].value)));
  }
}
