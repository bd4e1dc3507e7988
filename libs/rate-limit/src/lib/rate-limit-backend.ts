import type { RateLimitClock } from './rate-limit-clock';
import type { RateLimiterOptions } from './rate-limit-options';
import type { RateLimiterHealth } from './rate-limit-usage';
import type { RateLimiter } from './rate-limiter';
import { RedisLedgerConnection } from './redis/redis-rate-limit-ledger';
import { createLedgerOwner, DEFAULT_OWNER_TTL_MS } from './shared/ledger-owner';
import type { SharedLedgerOwner } from './shared/shared-rate-limit-ledger';
import { DEFAULT_HEARTBEAT_MS, SharedRateLimiter } from './shared/shared-rate-limiter';
import { SlidingWindowLimiter } from './sliding-window-limiter';
import { SqliteLedgerFile } from './sqlite/sqlite-rate-limit-ledger';

/**
 * Where a process keeps its grants:
 * - `memory`: in this process, the whole budget. Only when no other process uses the broker accounts.
 * - `local`: a SQLite file shared by the processes of ONE host (the embedded default): one budget.
 * - `redis`: Redis, shared by every process and replica: one budget.
 * - `split`: in this process, a static share of the budget; the fallback for processes that cannot
 *   share a ledger. The shares of all processes must add up to at most 1.
 */
export type RateLimitMode = 'memory' | 'local' | 'redis' | 'split';

export const RATE_LIMIT_MODES: readonly RateLimitMode[] = Object.freeze([
  'memory',
  'local',
  'redis',
  'split',
]);

export interface RateLimitBackendSettings {
  mode: RateLimitMode;
  /** `split`: this process's share of every broker budget, in (0, 1]. */
  share?: number;
  /** `local`: the ledger file (every process of the host must name the same one). */
  ledgerPath?: string;
  /** `redis`: redis:// or rediss:// URL. */
  redisUrl?: string;
  /** `redis`: namespace of the keys; default `qts:rate-limit`. */
  redisKeyPrefix?: string;
  /** Shared modes: a process silent for this long is taken as gone (its held grants lapse). Default 5 s. */
  ownerTtlMs?: number;
  /** Shared modes: heartbeat period; default 1 s. */
  heartbeatMs?: number;
}

export interface RateLimitBackendHooks {
  /** Start-up notes and ledger outages / recoveries. */
  log?: (level: 'log' | 'warn', message: string) => void;
  /** Timers and the limiters' clock (tests). */
  clock?: RateLimitClock;
  /** Owner identity in shared modes; default: host, pid and a random part. */
  owner?: SharedLedgerOwner;
}

/**
 * One process's rate-limit backend, chosen explicitly by configuration: builds one limiter per broker,
 * all of the same mode, and owns what they share (the ledger file or the Redis connection).
 */
export class RateLimitBackend {
  private readonly limiters: RateLimiter[] = [];
  private readonly owner?: SharedLedgerOwner;
  private readonly sqlite?: SqliteLedgerFile;
  private readonly redis?: RedisLedgerConnection;
  readonly description: string;

  constructor(
    readonly settings: RateLimitBackendSettings,
    private readonly hooks: RateLimitBackendHooks = {},
  ) {
    const { mode } = settings;
    if (!RATE_LIMIT_MODES.includes(mode)) {
      throw new RangeError(
        `rate-limit mode must be one of ${RATE_LIMIT_MODES.join(', ')} (got ${String(mode)})`,
      );
    }
    if (mode === 'local' || mode === 'redis') {
      this.owner = hooks.owner ?? createLedgerOwner(settings.ownerTtlMs ?? DEFAULT_OWNER_TTL_MS);
    }
    if (mode === 'local') {
      if (!settings.ledgerPath) throw new RangeError('rate-limit mode local needs a ledger path');
      this.sqlite = new SqliteLedgerFile({
        path: settings.ledgerPath,
        owner: this.owner as SharedLedgerOwner,
      });
      this.description = `local: one budget per broker for every process of this host, kept in ${settings.ledgerPath}`;
    } else if (mode === 'redis') {
      if (!settings.redisUrl) throw new RangeError('rate-limit mode redis needs a Redis URL');
      this.redis = new RedisLedgerConnection({
        url: settings.redisUrl,
        owner: this.owner as SharedLedgerOwner,
        ...(settings.redisKeyPrefix === undefined ? {} : { keyPrefix: settings.redisKeyPrefix }),
      });
      this.description = `redis: one budget per broker for every process and replica, kept in ${this.redis.description}`;
    } else if (mode === 'split') {
      const share = settings.share ?? 1;
      if (!(share > 0 && share <= 1))
        throw new RangeError(`rate-limit share must be in (0, 1] (got ${String(share)})`);
      this.description =
        `split: this process keeps ${formatShare(share)} of every broker budget to itself (static share). ` +
        'The shares of ALL processes using one broker account must add up to at most 100 %, and an idle process ' +
        'leaves its share unused; set RATE_LIMIT_MODE=local (one host) or redis (replicas) to share one budget.';
    } else {
      this.description = 'memory: this process alone uses the broker accounts (whole budget, kept in memory)';
    }
  }

  get mode(): RateLimitMode {
    return this.settings.mode;
  }

  /** A limiter for one broker (`options.name` = the broker id), of this backend's mode. */
  createLimiter(options: RateLimiterOptions & { name: string }): RateLimiter {
    const clock = this.hooks.clock ? { clock: this.hooks.clock } : {};
    let limiter: RateLimiter;
    if (this.sqlite || this.redis) {
      const ledger = this.sqlite
        ? this.sqlite.ledger(options.name)
        : (this.redis as RedisLedgerConnection).ledger(options.name);
      limiter = new SharedRateLimiter({
        ...options,
        ...clock,
        ledger,
        owner: this.owner as SharedLedgerOwner,
        heartbeatMs: this.settings.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        onHealthChange: (health) => this.reportHealth(options.name, health),
      });
    } else if (this.settings.mode === 'split') {
      limiter = new SlidingWindowLimiter({
        ...options,
        ...clock,
        share: (options.share ?? 1) * (this.settings.share ?? 1),
        backend: 'split',
      });
    } else {
      limiter = new SlidingWindowLimiter({ ...options, ...clock, backend: 'memory' });
    }
    this.limiters.push(limiter);
    return limiter;
  }

  /** Closes every limiter it built, then the ledger they shared. */
  async close(): Promise<void> {
    await Promise.all(this.limiters.map((limiter) => limiter.close()));
    this.sqlite?.close();
    await this.redis?.close();
  }

  private reportHealth(broker: string, health: RateLimiterHealth): void {
    if (health.healthy) this.hooks.log?.('log', `rate limits of broker ${broker}: ${health.detail}`);
    else this.hooks.log?.('warn', `rate limits of broker ${broker}: ${health.detail} (failing closed)`);
  }
}

function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
