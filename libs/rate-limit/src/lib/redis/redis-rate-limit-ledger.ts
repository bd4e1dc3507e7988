import Redis from 'ioredis';
import type { EffectiveRateLimitRule, RateLimitPriority } from '../rate-limit-ledger';
import type {
  LedgerCost,
  LedgerHeartbeat,
  LedgerRestoredGrant,
  LedgerTakeRequest,
  LedgerTakeResult,
  SharedLedgerOwner,
  SharedRateLimitLedger,
} from '../shared/shared-rate-limit-ledger';
import { RATE_LIMIT_SCRIPT } from './rate-limit-script';

export const DEFAULT_REDIS_KEY_PREFIX = 'qts:rate-limit';

export interface RedisLedgerConnectionOptions {
  /** redis:// or rediss:// URL (may hold a password: it is never logged). */
  url: string;
  owner: SharedLedgerOwner;
  /** Namespace of every key; default `qts:rate-limit`. Several platforms may share one Redis. */
  keyPrefix?: string;
  /**
   * After Redis lost its data (restart without persistence, flush), nothing is granted for this long, so
   * every live process has beaten once and put its grants back. Default: the owner TTL.
   */
  fenceMs?: number;
  /** A command without an answer within this time fails (the ledger counts as unreachable). Default 1 s. */
  commandTimeoutMs?: number;
}

/** Ids written into keys and script records: no separators, no spaces. */
const KEY_PART = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * One Redis connection (plus one for wake-up subscriptions) per process, shared by the ledgers of all its
 * brokers. Commands fail at once while Redis is unreachable (no offline queue) and after
 * `commandTimeoutMs` when it hangs, so limiters fail closed instead of waiting on a dead socket;
 * ioredis reconnects by itself and the limiters recover without a restart.
 */
export class RedisLedgerConnection {
  readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly keyPrefix: string;
  private readonly fenceMs: number;
  private sha: string | undefined;
  private closed = false;
  readonly description: string;

  constructor(readonly options: RedisLedgerConnectionOptions) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    if (!/^[A-Za-z0-9:._-]{1,64}$/.test(this.keyPrefix)) {
      throw new RangeError(`keyPrefix must be 1-64 letters, digits or ':._-' (got '${this.keyPrefix}')`);
    }
    if (!KEY_PART.test(options.owner.ownerId))
      throw new RangeError(`ownerId '${options.owner.ownerId}' is not a valid key part`);
    this.fenceMs = options.fenceMs ?? options.owner.ownerTtlMs;
    const url = new URL(options.url);
    this.description = `redis ${url.hostname}:${url.port || '6379'} (keys ${this.keyPrefix}:*)`;
    const connectionOptions = {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      connectTimeout: 2_000,
      // On close, a socket that does not end by itself is destroyed after this long.
      disconnectTimeout: 200,
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1_000),
      // Never let a connection error become an unhandled 'error' event: health reports it.
      showFriendlyErrorStack: false,
    };
    this.client = new Redis(options.url, connectionOptions);
    this.client.on('error', () => undefined);
    this.subscriber = new Redis(options.url, {
      ...connectionOptions,
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string) => this.notify(channel));
    // Wake-ups published while the subscription was down are lost: let every waiter look again.
    this.subscriber.on('ready', () => {
      for (const channel of this.listeners.keys()) this.notify(channel);
    });
  }

  /** The ledger of one broker. */
  ledger(broker: string): RedisRateLimitLedger {
    if (!KEY_PART.test(broker)) throw new RangeError(`broker id '${broker}' is not a valid key part`);
    return new RedisRateLimitLedger(this, `${this.keyPrefix}:{${broker}}`, this.options.owner);
  }

  /** Runs the script (EVALSHA; loaded once, and again after a Redis restart forgot it). */
  async run(base: string, args: (string | number)[], keyTtlMs: number): Promise<string[]> {
    if (this.closed) throw new Error('the Redis rate-limit ledger is closed');
    const argv = [
      args[0],
      this.options.owner.ownerId,
      this.options.owner.ownerTtlMs,
      Math.ceil(keyTtlMs),
      this.fenceMs,
      ...args.slice(1),
    ].map(String);
    await this.ready();
    this.sha ??= (await this.client.script('LOAD', RATE_LIMIT_SCRIPT)) as string;
    try {
      return (await this.client.evalsha(this.sha, 1, base, ...argv)) as string[];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.sha = (await this.client.script('LOAD', RATE_LIMIT_SCRIPT)) as string;
      return (await this.client.evalsha(this.sha, 1, base, ...argv)) as string[];
    }
  }

  /** Waits (at most one command timeout) for a connection being (re)established; fails at once otherwise. */
  private ready(): Promise<void> {
    const status = this.client.status;
    if (status === 'ready') return Promise.resolve();
    if (!['connecting', 'connect', 'reconnecting', 'wait'].includes(status)) {
      return Promise.reject(new Error(`Redis connection is ${status}`));
    }
    return new Promise((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new Error(`Redis is not reachable (connection ${this.client.status})`));
      }, this.options.commandTimeoutMs ?? 1_000);
      timer.unref();
      this.client.once('ready', onReady);
    });
  }

  listen(channel: string, listener: () => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      // Once subscribed, a look at the ledger catches a release published just before.
      this.subscriber.subscribe(channel).then(
        () => this.notify(channel),
        () => undefined,
      );
    }
    set.add(listener);
    return () => {
      set?.delete(listener);
    };
  }

  private notify(channel: string): void {
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriber.disconnect();
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}

/** The ledger of one broker in Redis; see rate-limit-script.ts for the data layout. */
export class RedisRateLimitLedger implements SharedRateLimitLedger {
  readonly kind = 'redis' as const;
  readonly description: string;
  /** Keys outlive every window and every owner's liveness, then expire. */
  private keyTtlMs: number;

  constructor(
    private readonly connection: RedisLedgerConnection,
    private readonly base: string,
    private readonly owner: SharedLedgerOwner,
  ) {
    this.description = connection.description;
    this.keyTtlMs = owner.ownerTtlMs * 2 + 60_000;
  }

  async take(request: LedgerTakeRequest): Promise<LedgerTakeResult> {
    checkId(request.leaseId);
    checkId(request.ticketId);
    this.widenKeyTtl(request.costs);
    const [granted, retry, now, epoch] = await this.connection.run(
      this.base,
      [
        'take',
        request.leaseId,
        request.ticketId,
        request.priority === 'priority' ? 1 : 0,
        request.ticketTtlMs,
        ...costArgs(request.costs),
      ],
      this.keyTtlMs,
    );
    if (Number(granted) === 1) return { granted: true, now: Number(now), epoch };
    return { granted: false, retryAt: retry === '' ? null : Number(retry), now: Number(now), epoch };
  }

  async complete(leaseId: string, outcome: 'answered' | 'unsent'): Promise<{ now: number; epoch: string }> {
    const [now, epoch] = await this.connection.run(this.base, ['complete', leaseId, outcome], this.keyTtlMs);
    return { now: Number(now), epoch };
  }

  async dropTicket(ticketId: string): Promise<void> {
    await this.connection.run(this.base, ['drop', ticketId], this.keyTtlMs);
  }

  async heartbeat(rules: readonly EffectiveRateLimitRule[]): Promise<LedgerHeartbeat> {
    this.widenKeyTtl(rules);
    const [now, epoch, ...counts] = await this.connection.run(
      this.base,
      ['heartbeat', ...rules.map((rule) => checkId(rule.id))],
      this.keyTtlMs,
    );
    return {
      now: Number(now),
      epoch,
      usage: rules.map((rule, index) => ({
        ruleId: rule.id,
        used: Number(counts[index * 3]),
        held: Number(counts[index * 3 + 1]),
        priorityUsed: Number(counts[index * 3 + 2]),
      })),
    };
  }

  async restore(grants: readonly LedgerRestoredGrant[]): Promise<{ now: number; epoch: string }> {
    const payload = JSON.stringify(
      grants.map((grant) => ({
        leaseId: checkId(grant.leaseId),
        priority: grant.priority,
        answeredAt: grant.answeredAt ?? null,
        costs: grant.costs.map(({ ruleId, weight, windowMs }) => ({
          ruleId: checkId(ruleId),
          weight,
          windowMs,
        })),
      })),
    );
    const [now, epoch] = await this.connection.run(this.base, ['restore', payload], this.keyTtlMs);
    return { now: Number(now), epoch };
  }

  async estimateWaitMs(costs: readonly LedgerCost[], priority: RateLimitPriority): Promise<number | null> {
    const [, , waitMs] = await this.connection.run(
      this.base,
      ['estimate', priority === 'priority' ? 1 : 0, ...costArgs(costs)],
      this.keyTtlMs,
    );
    return waitMs === '' ? null : Number(waitMs);
  }

  onWake(listener: () => void): () => void {
    return this.connection.listen(`${this.base}:wake`, listener);
  }

  async close(): Promise<void> {
    // The connection is shared by every broker of the process; its owner closes it.
  }

  private widenKeyTtl(windows: ReadonlyArray<{ windowMs: number }>): void {
    for (const { windowMs } of windows)
      this.keyTtlMs = Math.max(this.keyTtlMs, windowMs + this.owner.ownerTtlMs * 2 + 60_000);
  }
}

function costArgs(costs: readonly LedgerCost[]): (string | number)[] {
  return [
    costs.length,
    ...costs.flatMap((cost) => [checkId(cost.ruleId), cost.weight, cost.limit, cost.reserved, cost.windowMs]),
  ];
}

function checkId(id: string): string {
  if (!KEY_PART.test(id))
    throw new RangeError(`'${id}' cannot be used in a rate-limit ledger key (letters, digits, '._-')`);
  return id;
}
