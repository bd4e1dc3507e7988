import Database from 'better-sqlite3';
import { SharedLedgerHarness } from '../../../test/shared-ledger-harness';
import type { RateLimitLease } from '../rate-limit-lease';
import type { RateLimiterOptions } from '../rate-limit-options';

const TWO_PER_SECOND: Omit<RateLimiterOptions, 'clock'> = {
  rules: [{ id: 'requests', limit: 2, windowMs: 1000 }],
};

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

describe('SharedRateLimiter over a SQLite ledger shared by several processes (manual clock)', () => {
  let harness: SharedLedgerHarness;

  beforeEach(() => {
    harness = new SharedLedgerHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('gives every process one budget: what one process takes, the other cannot', async () => {
    const gateway = harness.process(TWO_PER_SECOND, 'gateway');
    const worker = harness.process(TWO_PER_SECOND, 'worker');
    await expect(gateway.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(gateway.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await harness.clock.advanceBy(1_000);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });

  it('leaves nothing unused by an idle process: a busy one gets the whole budget', async () => {
    const gateway = harness.process(TWO_PER_SECOND, 'gateway');
    harness.process(TWO_PER_SECOND, 'idle-worker');
    const grants: number[] = [];
    let demanding = true;
    const loop = async (): Promise<void> => {
      while (demanding) {
        const lease = await gateway.limiter.acquireLease('getQuote', { timeoutMs: Infinity });
        if (!lease) return;
        grants.push(harness.clock.now());
        lease.settle('answered');
      }
    };
    const loops = [loop(), loop(), loop()];
    await harness.clock.advanceBy(10_000 - 1);
    demanding = false;
    await gateway.limiter.close();
    await Promise.all(loops);
    // 2 per second for 10 s: the full budget, none left to the idle worker.
    expect(grants).toHaveLength(20);
  });

  it('holds a grant in flight across processes until its answer, then for one window', async () => {
    const gateway = harness.process({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] }, 'gateway');
    const worker = harness.process({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] }, 'worker');
    const lease = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    await harness.clock.advanceBy(7_000);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    lease.settle('answered');
    await harness.clock.advanceBy(999);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await harness.clock.advanceBy(1);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });

  it("wakes a process waiting on another process's request in flight when it is answered (doorbell, no timer)", async () => {
    const options = { rules: [{ id: 'requests', limit: 10, windowMs: 1000 }], maxInFlight: 1 };
    const gateway = harness.process(options, 'gateway');
    const worker = harness.process(options, 'worker');
    const lease = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    let grantedAt: number | undefined;
    worker.limiter.acquireLease('getQuote', { timeoutMs: Infinity }).then((held) => {
      grantedAt = harness.clock.now();
      held?.settle('answered');
    });
    await harness.clock.advanceBy(5);
    expect(grantedAt).toBeUndefined();
    const rings = harness.doorbell.rings;
    lease.settle('answered');
    await harness.clock.advanceBy(0);
    expect(harness.doorbell.rings).toBeGreaterThan(rings);
    expect(grantedAt).toBe(harness.clock.now());
  });

  it('records linked rules all at once or not at all, and charges weights', async () => {
    const options: Omit<RateLimiterOptions, 'clock'> = {
      rules: [
        { id: 'requests', limit: 4, windowMs: 1000 },
        { id: 'token', limit: 1, windowMs: 60_000 },
      ],
      operations: {
        issueToken: [{ rule: 'requests' }, { rule: 'token' }],
        getCandles: [{ rule: 'requests', weight: 2 }],
      },
      defaultCosts: [{ rule: 'requests' }],
    };
    const a = harness.process(options, 'a');
    const b = harness.process(options, 'b');
    await expect(a.limiter.acquire('issueToken', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(b.limiter.acquire('issueToken', { timeoutMs: 0 })).resolves.toBe(false);
    await expect(b.limiter.acquire('getCandles', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(a.limiter.acquire('getCandles', { timeoutMs: 0 })).resolves.toBe(false);
    await expect(a.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
    await harness.clock.advanceBy(1_000);
    // The heartbeat read usage from the ledger: the refused token request recorded nothing on requests.
    expect(b.limiter.usage().rules.map(({ ruleId, used }) => [ruleId, used])).toEqual([
      ['requests', 0],
      ['token', 1],
    ]);
  });

  it('keeps the trading reserve from reads of every process, and serves trading first', async () => {
    const options: Omit<RateLimiterOptions, 'clock'> = {
      rules: [{ id: 'requests', limit: 4, windowMs: 1000 }],
      priorityOperations: ['placeOrder'],
      priorityReserve: 0.5,
    };
    const gateway = harness.process(options, 'gateway');
    const worker = harness.process(options, 'worker');
    await expect(gateway.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(gateway.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await expect(worker.limiter.acquire('placeOrder', { timeoutMs: 0 })).resolves.toBe(true);
    await expect(worker.limiter.acquire('placeOrder', { timeoutMs: 0 })).resolves.toBe(true);
    // Full: a read queued first in the gateway, an order queued later in the worker.
    const order: string[] = [];
    gateway.limiter
      .acquire('getQuote', { timeoutMs: Infinity })
      .then(() => order.push(`read@${harness.clock.now()}`));
    await harness.clock.advanceBy(10);
    worker.limiter
      .acquire('placeOrder', { timeoutMs: Infinity })
      .then(() => order.push(`order@${harness.clock.now()}`));
    await harness.clock.advanceBy(2_000);
    expect(order).toEqual(['order@2000', 'read@2000']);
  });

  it('serves the longest-waiting head across processes: a busy process overtakes it at most once', async () => {
    const options = { rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] };
    const busy = harness.process(options, 'busy');
    const quiet = harness.process(options, 'quiet');
    const order: string[] = [];
    for (let i = 1; i <= 4; i++) {
      busy.limiter
        .acquire('getQuote', { timeoutMs: Infinity })
        .then(() => order.push(`busy${i}@${harness.clock.now()}`));
    }
    await harness.clock.advanceBy(10);
    quiet.limiter
      .acquire('getQuote', { timeoutMs: Infinity })
      .then(() => order.push(`quiet@${harness.clock.now()}`));
    await harness.clock.advanceBy(5_000);
    // busy2 had queued (with its ticket) before quiet did; busy3 came after quiet's ticket.
    expect(order).toEqual(['busy1@1000', 'busy2@2000', 'quiet@3000', 'busy3@4000', 'busy4@5000']);
  });

  it('keeps an abandoned request held until this process sees proof it reached the broker', async () => {
    const options = { rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] };
    const gateway = harness.process(options, 'gateway');
    const worker = harness.process(options, 'worker');
    const abandoned = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    const later = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    await harness.clock.advanceBy(5_000);
    abandoned.settle('abandoned');
    expect(gateway.limiter.unanswered).toBe(1);
    await harness.clock.advanceBy(2_000);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    later.settle('answered');
    await harness.clock.advanceBy(999);
    expect(gateway.limiter.unanswered).toBe(0);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await harness.clock.advanceBy(1);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });

  it('counts the held grants of a process that died as answered when its liveness lapsed', async () => {
    const options = { rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] };
    const crashed = harness.process(options, 'crashed', 3_000);
    const survivor = harness.process(options, 'survivor', 3_000);
    present(await crashed.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    // The process dies: it neither beats nor settles any more.
    crashed.ledger.down = true;
    await harness.clock.advanceBy(3_999);
    await expect(survivor.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    // Its last beat was at 1000 (start) + 3000 TTL = 4000; held until then plus the window.
    await harness.clock.advanceTo(4_999);
    await expect(survivor.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await harness.clock.advanceTo(5_000);
    await expect(survivor.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });

  it('fails closed while the ledger cannot be reached, reports it, and recovers without a restart', async () => {
    const gateway = harness.process(TWO_PER_SECOND, 'gateway');
    const worker = harness.process(TWO_PER_SECOND, 'worker');
    await harness.clock.advanceBy(0);
    expect(gateway.limiter.health()).toMatchObject({ backend: 'local', healthy: true });
    const lease = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    gateway.ledger.down = true;
    // The answer arrives during the outage: the grant stays held (never fails open) until it is written.
    lease.settle('answered');
    const refused = gateway.limiter.acquire('getQuote', { timeoutMs: 2_000 });
    await harness.clock.advanceBy(2_000);
    await expect(refused).resolves.toBe(false);
    expect(gateway.limiter.health()).toMatchObject({
      healthy: false,
      detail: expect.stringContaining('ECONNREFUSED'),
    });
    // Within the owner TTL (3 s) the other processes still see the grant held.
    await harness.clock.advanceBy(500);
    expect(worker.limiter.usage().rules[0]).toMatchObject({ used: 1, held: 1 });
    gateway.ledger.down = false;
    await harness.clock.advanceBy(1_000);
    expect(gateway.limiter.health().healthy).toBe(true);
    expect(worker.limiter.usage().rules[0]).toMatchObject({ used: 1, held: 0 });
    await expect(gateway.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });

  it('gives back attempts whose outcome it never learned, once the ledger answers again', async () => {
    const gateway = harness.process({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] }, 'gateway');
    const worker = harness.process({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] }, 'worker');
    await harness.clock.advanceBy(0);
    // The ledger "answers" the grant but the answer is lost on the way back.
    const take = gateway.ledger.take.bind(gateway.ledger);
    let lost = true;
    jest.spyOn(gateway.ledger, 'take').mockImplementation(async (request) => {
      const result = await take(request);
      if (lost) {
        lost = false;
        throw new Error('Command timed out');
      }
      return result;
    });
    const refused = gateway.limiter.acquire('getQuote', { timeoutMs: 50 });
    await harness.clock.advanceBy(50);
    await expect(refused).resolves.toBe(false);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await harness.clock.advanceBy(1_000);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });

  it('puts its grants back when the ledger lost its data, before granting anything more', async () => {
    const options = { rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] };
    const gateway = harness.process(options, 'gateway');
    const worker = harness.process(options, 'worker');
    present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    // Someone wipes the ledger (as a Redis restart without persistence does).
    const raw = new Database(harness.path);
    raw.exec(`DELETE FROM rl_grants; UPDATE rl_meta SET value = 'new-epoch' WHERE key = 'epoch';`);
    raw.close();
    await harness.clock.advanceBy(1_000);
    // The gateway's heartbeat saw the new epoch and restored its request in flight.
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    expect(worker.limiter.usage().rules[0]).toMatchObject({ used: 1, held: 1 });
  });

  it('estimates the wait from the ledger, and a whole window when only an answer can free room', async () => {
    const gateway = harness.process({ rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] }, 'gateway');
    const lease = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    await expect(gateway.limiter.estimateWaitMs('getQuote')).resolves.toBe(1_000);
    lease.settle('answered');
    await harness.clock.advanceBy(300);
    await expect(gateway.limiter.estimateWaitMs('getQuote')).resolves.toBe(700);
  });

  it('close() resolves waiting acquires with nothing and leaves held grants to lapse with the owner', async () => {
    const options = { rules: [{ id: 'requests', limit: 1, windowMs: 1000 }] };
    const gateway = harness.process(options, 'gateway', 3_000);
    const worker = harness.process(options, 'worker', 3_000);
    const held: RateLimitLease = present(await gateway.limiter.acquireLease('getQuote', { timeoutMs: 0 }));
    const waiting = gateway.limiter.acquire('getQuote', { timeoutMs: Infinity });
    await harness.clock.advanceBy(10);
    await gateway.limiter.close();
    await expect(waiting).resolves.toBe(false);
    await expect(gateway.limiter.acquire('getQuote')).resolves.toBe(false);
    expect(held.settled).toBe(false);
    expect(gateway.limiter.health().healthy).toBe(false);
    await harness.clock.advanceTo(4_009);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
    await harness.clock.advanceTo(5_011);
    await expect(worker.limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
  });
});
