import type { DataSource } from 'typeorm';
import { GroupCommit } from './group-commit';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { WORKER_DATABASE } from './worker-database';

const INSERT = `INSERT INTO intents (intent_id, strategy_id, broker_id, account_id, symbol, side, quantity, order_type,
  dry_run, created_at, updated_at) VALUES (?, 's', 'kis', 'a', '005930', 'BUY', 1, 'MARKET', 0, 't', 't')`;

describe('GroupCommit', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await openServiceDataSource(serviceDataSourceOptions('sqlite::memory:', WORKER_DATABASE));
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function count(): Promise<number> {
    const rows = await dataSource.query('SELECT COUNT(*) AS n FROM intents');
    return Number(rows[0].n);
  }

  it('commits units that queue up together in one transaction, each settling after the commit', async () => {
    const transaction = jest.spyOn(dataSource, 'transaction');
    const commits = new GroupCommit(dataSource);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => commits.run(async (manager) => {
        await manager.query(INSERT, [`id-${i}`]);
        return i;
      })),
    );

    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await count()).toBe(20);
    // All 20 queued before the connection was free: one transaction, one commit.
    expect(transaction).toHaveBeenCalledTimes(1);

    await commits.run((manager) => manager.query(INSERT, ['later']));
    expect(transaction).toHaveBeenCalledTimes(2);
  });

  it('rolls back a failing unit alone and hands its error to its caller only', async () => {
    const commits = new GroupCommit(dataSource);

    const outcomes = await Promise.allSettled([
      commits.run((manager) => manager.query(INSERT, ['a'])),
      commits.run((manager) => manager.query(INSERT, ['b'])),
      commits.run(async (manager) => {
        await manager.query(INSERT, ['c']);
        await manager.query(INSERT, ['b']);
      }),
      commits.run((manager) => manager.query(INSERT, ['d'])),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await dataSource.query('SELECT intent_id FROM intents ORDER BY intent_id');
    expect(rows.map((r: { intent_id: string }) => r.intent_id)).toEqual(['a', 'b', 'd']);
  });

  it('rejects every unit of a batch whose commit fails (none of them was written), and goes on', async () => {
    const commits = new GroupCommit(dataSource);
    jest.spyOn(dataSource, 'transaction').mockRejectedValueOnce(new Error('disk I/O error'));

    const outcomes = await Promise.allSettled([
      commits.run((manager) => manager.query(INSERT, ['x'])),
      commits.run((manager) => manager.query(INSERT, ['y'])),
    ]);

    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('disk I/O error') },
      { status: 'rejected', reason: new Error('disk I/O error') },
    ]);
    expect(await count()).toBe(0);
    await commits.run((manager) => manager.query(INSERT, ['z']));
    expect(await count()).toBe(1);
  });

  it('commits at most maxBatch units per transaction', async () => {
    const transaction = jest.spyOn(dataSource, 'transaction');
    const commits = new GroupCommit(dataSource, 4);

    await Promise.all(Array.from({ length: 10 }, (_, i) => commits.run((manager) => manager.query(INSERT, [`b-${i}`]))));

    expect(transaction).toHaveBeenCalledTimes(3);
    expect(await count()).toBe(10);
  });

  describe('with a flush that makes commits durable', () => {
    function gate(): { promise: Promise<void>; open: () => void; fail: (error: Error) => void } {
      let open!: () => void;
      let fail!: (error: Error) => void;
      const promise = new Promise<void>((resolve, reject) => {
        open = resolve;
        fail = reject;
      });
      return { promise, open, fail };
    }

    it('settles a unit only once the flush after its commit is done, and writes the next batch meanwhile', async () => {
      const flushes: ReturnType<typeof gate>[] = [];
      const commits = new GroupCommit(dataSource, 256, () => {
        const flush = gate();
        flushes.push(flush);
        return flush.promise;
      });
      const settled: string[] = [];

      const first = commits.run((manager) => manager.query(INSERT, ['first'])).then(() => settled.push('first'));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(flushes).toHaveLength(1);
      // Committed (visible to the connection), not settled: its flush has not finished.
      expect(await count()).toBe(1);
      expect(settled).toEqual([]);

      const second = commits.run((manager) => manager.query(INSERT, ['second'])).then(() => settled.push('second'));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      // The second batch was committed while the first one's flush was still running.
      expect(flushes).toHaveLength(2);
      expect(await count()).toBe(2);

      flushes[0]?.open();
      await first;
      expect(settled).toEqual(['first']);
      flushes[1]?.open();
      await second;
      expect(settled).toEqual(['first', 'second']);
    });

    it('rejects the units of a batch whose flush fails: committed, but nobody may act on it', async () => {
      const commits = new GroupCommit(dataSource, 256, () => Promise.reject(new Error('EIO: i/o error, fdatasync')));

      await expect(commits.run((manager) => manager.query(INSERT, ['lost?']))).rejects.toThrow('EIO');
    });
  });
});
