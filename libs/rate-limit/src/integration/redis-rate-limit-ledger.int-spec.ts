import Redis from 'ioredis';
import { startRedisServer, waitFor, type RedisServerProcess } from '@qts/test-support';
import type { RateLimitLease } from '../lib/rate-limit-lease';
import type { RateLimiterOptions } from '../lib/rate-limit-options';
import { RedisLedgerConnection } from '../lib/redis/redis-rate-limit-ledger';
import type { LedgerCost } from '../lib/shared/shared-rate-limit-ledger';
import { SharedRateLimiter } from '../lib/shared/shared-rate-limiter';

/**
 * The Redis ledger against a real redis-server: every "process" has its own connection and owner, as
 * replicas do. Times asserted are Redis's own (TIME, returned by the script), never this host's clock.
 */
const PREFIX = 'test:rl';

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

describe('Redis rate-limit ledger (real redis-server)', () => {
  let redis: RedisServerProcess;
  let admin: Redis;
  const connections: RedisLedgerConnection[] = [];
  const limiters: SharedRateLimiter[] = [];
  let ownerCount = 0;

  const connect = (ownerTtlMs = 5_000, fenceMs = 0): RedisLedgerConnection => {
    const connection = new RedisLedgerConnection({
      url: redis.url,
      owner: { ownerId: `owner-${ownerCount++}`, ownerTtlMs },
      keyPrefix: PREFIX,
      fenceMs,
      commandTimeoutMs: 500,
    });
    connections.push(connection);
    return connection;
  };

  const limiter = (options: Omit<RateLimiterOptions, 'clock'>, connection = connect()): SharedRateLimiter => {
    const created = new SharedRateLimiter({
      ...options,
      name: 'kis',
      ledger: connection.ledger('kis'),
      owner: connection.options.owner,
      heartbeatMs: 200,
    });
    limiters.push(created);
    return created;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    admin.on('error', () => undefined);
  });

  afterEach(async () => {
    for (const created of limiters.splice(0)) await created.close().catch(() => undefined);
    for (const connection of connections.splice(0)) await connection.close();
    await admin.flushall().catch(() => undefined);
  });

  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  describe('the script (one atomic decision, Redis clock)', () => {
    const cost = (limit: number, weight = 1, windowMs = 1_000): LedgerCost => ({
      ruleId: 'requests',
      weight,
      limit,
      reserved: 0,
      windowMs,
    });

    it('grants one budget to every connection, holds grants until completed, then counts them one window on Redis time', async () => {
      const a = connect().ledger('kis');
      const b = connect().ledger('kis');
      const take = (ledger: typeof a, id: string, ceiling = 2) =>
        ledger.take({
          leaseId: id,
          costs: [cost(ceiling)],
          priority: 'standard',
          ticketId: `t-${id}`,
          ticketTtlMs: 5_000,
        });
      const first = await take(a, 'a1');
      expect(first.granted).toBe(true);
      await expect(take(b, 'b1')).resolves.toMatchObject({ granted: true });
      await expect(take(a, 'a2')).resolves.toMatchObject({ granted: false, retryAt: null });
      await b.dropTicket('t-a2');
      const answered = await a.complete('a1', 'answered');
      const refused = await take(b, 'b2');
      expect(refused).toMatchObject({ granted: false });
      // The answer was recorded on Redis's clock: the slot frees exactly one window after it.
      expect(refused.granted ? 0 : refused.retryAt).toBeCloseTo(answered.now + 1_000, 0);
      const heartbeat = await a.heartbeat([
        {
          id: 'requests',
          limit: 2,
          configuredLimit: 2,
          windowMs: 1000,
          configuredWindowMs: 1000,
          reserved: 0,
        },
      ]);
      expect(heartbeat.usage).toEqual([{ ruleId: 'requests', used: 2, held: 1, priorityUsed: 0 }]);
      await expect(a.estimateWaitMs([cost(2)], 'standard')).resolves.toBeGreaterThan(0);
    });

    it('records linked rules all at once or not at all, with weights', async () => {
      const ledger = connect().ledger('kis');
      const requests = (limit: number, weight = 1): LedgerCost => ({
        ruleId: 'requests',
        weight,
        limit,
        reserved: 0,
        windowMs: 1_000,
      });
      const token = { ruleId: 'token', weight: 1, limit: 1, reserved: 0, windowMs: 60_000 };
      const take = (id: string, costs: LedgerCost[]) =>
        ledger.take({ leaseId: id, costs, priority: 'standard', ticketId: `t-${id}`, ticketTtlMs: 1 });
      await expect(take('token1', [requests(4), token])).resolves.toMatchObject({ granted: true });
      await expect(take('token2', [requests(4), token])).resolves.toMatchObject({
        granted: false,
        retryAt: null,
      });
      // It queued (a ticket); it gives up, or requests would wait behind it.
      await ledger.dropTicket('t-token2');
      await expect(take('candles', [requests(4, 3)])).resolves.toMatchObject({ granted: true });
      await expect(take('quote', [requests(4)])).resolves.toMatchObject({ granted: false });
      const rules = ['requests', 'token'].map((id) => ({
        id,
        limit: 4,
        configuredLimit: 4,
        windowMs: 1_000,
        configuredWindowMs: 1_000,
        reserved: 0,
      }));
      // token2 was refused on token: nothing was recorded on requests for it.
      await expect(ledger.heartbeat(rules)).resolves.toMatchObject({
        usage: [
          { ruleId: 'requests', used: 4, held: 4, priorityUsed: 0 },
          { ruleId: 'token', used: 1, held: 1, priorityUsed: 0 },
        ],
      });
    });

    it('keeps every key under the configured prefix, with an expiry', async () => {
      const ledger = connect().ledger('kis');
      await ledger.take({
        leaseId: 'x',
        costs: [cost(2)],
        priority: 'standard',
        ticketId: 't-x',
        ticketTtlMs: 5_000,
      });
      await ledger.take({
        leaseId: 'y',
        costs: [cost(2)],
        priority: 'standard',
        ticketId: 't-y',
        ticketTtlMs: 5_000,
      });
      await ledger.take({
        leaseId: 'z',
        costs: [cost(2)],
        priority: 'standard',
        ticketId: 't-z',
        ticketTtlMs: 5_000,
      });
      await ledger.complete('x', 'answered');
      const keys = await admin.keys('*');
      expect(keys.length).toBeGreaterThan(3);
      for (const key of keys) {
        expect(key.startsWith(`${PREFIX}:{kis}:`)).toBe(true);
        const ttl = await admin.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(86_400_000);
      }
    });

    it('counts the held grants of an owner that stopped beating as answered when its liveness lapsed', async () => {
      const crashed = connect(300).ledger('kis');
      const survivor = connect(300).ledger('kis');
      const take = (ledger: typeof crashed, id: string) =>
        ledger.take({
          leaseId: id,
          costs: [cost(1, 1, 200)],
          priority: 'standard',
          ticketId: `t-${id}`,
          ticketTtlMs: 1,
        });
      await expect(take(crashed, 'lost')).resolves.toMatchObject({ granted: true });
      await expect(take(survivor, 's1')).resolves.toMatchObject({ granted: false, retryAt: null });
      // 300 ms of liveness plus the 200 ms window, on Redis's clock.
      await waitFor(async () => (await take(survivor, 's2')).granted, {
        timeoutMs: 10_000,
        intervalMs: 50,
        description: 'the lapsed grant freed',
      });
    });
  });

  describe('SharedRateLimiter over Redis (several processes)', () => {
    it('lets no process overtake the longest-waiting head more than once (cross-process ordering)', async () => {
      const options = { rules: [{ id: 'requests', limit: 1, windowMs: 150 }] };
      const busy = limiter(options);
      const quiet = limiter(options);
      const order: string[] = [];
      const leases: Promise<void>[] = [];
      for (let i = 0; i < 6; i++) {
        leases.push(busy.acquire('getQuote', { timeoutMs: 30_000 }).then(() => void order.push('busy')));
      }
      await waitFor(() => order.length >= 1, {
        timeoutMs: 10_000,
        intervalMs: 5,
        description: 'first busy grant',
      });
      const quietGranted = quiet
        .acquire('getQuote', { timeoutMs: 30_000 })
        .then(() => void order.push('quiet'));
      await Promise.all([...leases, quietGranted]);
      // The quiet process queued behind at most the one busy head already holding a ticket.
      expect(order.indexOf('quiet')).toBeLessThanOrEqual(order.indexOf('busy') + 2);
      expect(order.indexOf('quiet')).toBeLessThan(order.length - 1);
    });

    it('wakes a waiter of another process through pub/sub when a grant in flight is answered', async () => {
      const options = { rules: [{ id: 'requests', limit: 10, windowMs: 1_000 }], maxInFlight: 1 };
      const holderConnection = connect(30_000);
      const waiterConnection = connect(30_000);
      const holder = limiter(options, holderConnection);
      const waiter = limiter(options, waiterConnection);
      const held = present(await holder.acquireLease('getQuote', { timeoutMs: 5_000 }));
      await waitFor(
        async () => ((await admin.pubsub('NUMSUB', `${PREFIX}:{kis}:wake`)) as [string, number])[1] === 2,
        {
          timeoutMs: 5_000,
          intervalMs: 10,
          description: 'both processes subscribed to wake-ups',
        },
      );
      let woken = 0;
      waiterConnection.ledger('kis').onWake(() => woken++);
      const granted = waiter.acquireLease('getQuote', { timeoutMs: 20_000 });
      await waitFor(async () => (await admin.hlen(`${PREFIX}:{kis}:tickets`)) === 1, {
        timeoutMs: 10_000,
        intervalMs: 10,
        description: 'the waiter holds a ticket',
      });
      held.settle('answered');
      const lease: RateLimitLease = present(await granted);
      lease.settle('answered');
      expect(woken).toBeGreaterThan(0);
    });

    it("keeps trading ahead of reads across processes and the reserve out of reads' reach", async () => {
      const options = {
        rules: [{ id: 'requests', limit: 4, windowMs: 400 }],
        priorityOperations: ['placeOrder'],
        priorityReserve: 0.5,
      };
      const gateway = limiter(options);
      const worker = limiter(options);
      await expect(gateway.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(gateway.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(gateway.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
      await expect(worker.acquire('placeOrder', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(worker.acquire('placeOrder', { timeoutMs: 0 })).resolves.toBe(true);
      const order: string[] = [];
      const read = gateway.acquire('getQuote', { timeoutMs: 10_000 }).then(() => void order.push('read'));
      await waitFor(async () => (await admin.hlen(`${PREFIX}:{kis}:tickets`)) === 1, {
        timeoutMs: 5_000,
        intervalMs: 5,
        description: 'read ticket',
      });
      const trade = worker.acquire('placeOrder', { timeoutMs: 10_000 }).then(() => void order.push('trade'));
      await Promise.all([read, trade]);
      expect(order).toEqual(['trade', 'read']);
    });

    it('fails closed while Redis is down, reports it, and recovers after a restart that lost the data, restoring grants', async () => {
      const options = { rules: [{ id: 'requests', limit: 1, windowMs: 300 }] };
      const gateway = limiter(options, connect(5_000, 1_500));
      const worker = limiter(options, connect(5_000, 1_500));
      await waitFor(() => gateway.health().healthy && worker.health().healthy, {
        timeoutMs: 10_000,
        intervalMs: 20,
        description: 'both healthy',
      });
      const inFlight = present(await gateway.acquireLease('getQuote', { timeoutMs: 5_000 }));

      await redis.stop();
      await expect(worker.acquire('getQuote', { timeoutMs: 400 })).resolves.toBe(false);
      await waitFor(() => !worker.health().healthy, {
        timeoutMs: 5_000,
        intervalMs: 20,
        description: 'worker reports the outage',
      });
      expect(worker.health()).toMatchObject({ backend: 'redis', healthy: false });
      expect(worker.health().detail).toContain('unreachable');

      // Back, empty (no persistence): the fence holds grants until the gateway has put its request back.
      await redis.restart();
      await waitFor(() => gateway.health().healthy && worker.health().healthy, {
        timeoutMs: 15_000,
        intervalMs: 20,
        description: 'recovered',
      });
      await waitFor(() => worker.usage().rules[0].held === 1, {
        timeoutMs: 10_000,
        intervalMs: 20,
        description: 'the request in flight restored',
      });
      await expect(worker.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
      inFlight.settle('answered');
      await expect(worker.acquire('getQuote', { timeoutMs: 10_000 })).resolves.toBe(true);
    });

    it('fails closed while Redis hangs (SIGSTOP) and answers again once it resumes, without a restart', async () => {
      const options = { rules: [{ id: 'requests', limit: 5, windowMs: 300 }] };
      const gateway = limiter(options);
      await expect(gateway.acquire('getQuote', { timeoutMs: 5_000 })).resolves.toBe(true);
      redis.pause();
      try {
        await expect(gateway.acquire('getQuote', { timeoutMs: 1_500 })).resolves.toBe(false);
        expect(gateway.health().healthy).toBe(false);
      } finally {
        redis.resume();
      }
      await expect(gateway.acquire('getQuote', { timeoutMs: 10_000 })).resolves.toBe(true);
      await waitFor(() => gateway.health().healthy, {
        timeoutMs: 5_000,
        intervalMs: 20,
        description: 'healthy again',
      });
    });
  });
});
