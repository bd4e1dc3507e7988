import { createHash, randomBytes } from 'node:crypto';

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export type TokenCheck = 'valid' | 'unknown' | 'expired' | 'other-app-key';

/**
 * The access tokens a simulated broker issued: one per issuance, bound to its app key, valid for the
 * configured lifetime. Counts issuances per app key, which is what tests of the token lifecycle look at.
 */
export class TokenRegistry {
  private readonly tokens = new Map<string, { appKey: string; expiresAt: number }>();
  private readonly issuedPerAppKey = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(appKey: string): IssuedToken {
    const token = `sim-${randomBytes(24).toString('hex')}`;
    const expiresAt = this.now() + this.ttlMs;
    this.tokens.set(token, { appKey, expiresAt });
    this.issuedPerAppKey.set(appKey, (this.issuedPerAppKey.get(appKey) ?? 0) + 1);
    return { token, expiresAt };
  }

  check(token: string, appKey?: string): { result: TokenCheck; appKey?: string } {
    const entry = this.tokens.get(token);
    if (entry === undefined) {
      return { result: 'unknown' };
    }
    if (appKey !== undefined && entry.appKey !== appKey) {
      return { result: 'other-app-key' };
    }
    return entry.expiresAt <= this.now() ? { result: 'expired', appKey: entry.appKey } : { result: 'valid', appKey: entry.appKey };
  }

  /** Every token issued so far expires now (the next request with one gets the broker's expired-token answer). */
  expireAll(): number {
    const now = this.now();
    let expired = 0;
    for (const entry of this.tokens.values()) {
      if (entry.expiresAt > now) {
        entry.expiresAt = now;
        expired += 1;
      }
    }
    return expired;
  }

  /** Issuances per app key; keys are shown by a short hash, never in clear. */
  issuedCounts(): Record<string, number> {
    return Object.fromEntries([...this.issuedPerAppKey].map(([appKey, count]) => [appKeyLabel(appKey), count]));
  }

  totalIssued(): number {
    return [...this.issuedPerAppKey.values()].reduce((sum, count) => sum + count, 0);
  }

  resetCounts(): void {
    this.issuedPerAppKey.clear();
  }
}

/** How an app key appears in statistics and logs: a short hash. */
export function appKeyLabel(appKey: string): string {
  return `key-${createHash('sha256').update(appKey).digest('hex').slice(0, 12)}`;
}
