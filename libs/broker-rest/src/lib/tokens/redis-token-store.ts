import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StoredAccessToken, TokenLockTimeoutError, TokenStore } from './token-store';

export interface RedisTokenStoreOptions {
  /** Prefix of every key; default 'qts:broker-token:'. */
  keyPrefix?: string;
  /** How long an issuance lock lives if its holder dies; default 30 s. */
  lockTtlMs?: number;
  /** How often a waiter looks at the lock again; default 100 ms. */
  pollMs?: number;
}

/** Deletes the lock only if this holder still owns it (it may have expired and been taken by another). */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Tokens shared by every replica through Redis: one entry per app key with a TTL until the token expires,
 * and an issuance lock (SET NX PX with an owner id, released by compare-and-delete) so that one replica
 * issues while the others wait and then read its token. Tokens are stored sealed (see token-sealing.ts).
 * When Redis is unreachable the calls reject and no request is sent: a replica never falls back to issuing
 * tokens on its own, which could exceed the broker's issuance limit.
 */
export class RedisTokenStore implements TokenStore {
  private readonly prefix: string;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisTokenStoreOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.prefix = options.keyPrefix ?? 'qts:broker-token:';
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.pollMs = options.pollMs ?? 100;
  }

  async read(key: string): Promise<StoredAccessToken | undefined> {
    const text = await this.redis.get(this.prefix + key);
    if (text === null) {
      return undefined;
    }
    try {
      const value = JSON.parse(text) as Partial<StoredAccessToken>;
      if (
        typeof value.sealed === 'string' &&
        typeof value.issuedAt === 'number' &&
        typeof value.expiresAt === 'number' &&
        value.expiresAt > this.now()
      ) {
        return { sealed: value.sealed, issuedAt: value.issuedAt, expiresAt: value.expiresAt };
      }
    } catch {
      // Not ours or corrupt: treated as absent, and overwritten by the next issuance.
    }
    return undefined;
  }

  async write(key: string, token: StoredAccessToken): Promise<void> {
    const ttlMs = Math.max(1, Math.ceil(token.expiresAt - this.now()));
    await this.redis.set(this.prefix + key, JSON.stringify(token), 'PX', ttlMs);
  }

  async withIssueLock<T>(key: string, waitMs: number, issue: () => Promise<T>): Promise<T> {
    const lockKey = `${this.prefix}${key}:issuing`;
    const owner = randomUUID();
    const giveUpAt = this.now() + waitMs;
    for (;;) {
      const taken = await this.redis.set(lockKey, owner, 'PX', this.lockTtlMs, 'NX');
      if (taken === 'OK') {
        break;
      }
      if (this.now() >= giveUpAt) {
        throw new TokenLockTimeoutError(waitMs);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    try {
      return await issue();
    } finally {
      await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, owner).catch(() => undefined);
    }
  }
}
