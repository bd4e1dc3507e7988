import {
  AuthenticationError,
  BrokerUnavailableError,
  InvalidArgumentError,
  isBrokerError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { isRestTransportError } from '../http/rest-transport-error';
import type { RestCallOutcome, RestCallPermits } from '../permits/rest-call-permits';
import { sealToken, unsealToken } from './token-sealing';
import type { IssuedAccessToken, TokenIssuer } from './token-issuer';
import { TokenLockTimeoutError, TokenStore } from './token-store';

/** What the HTTP clients need: the token to send, and a new one after the broker refused it. */
export interface AccessTokenSource {
  currentToken(): Promise<string>;
  /** A token other than `rejected`: the one another caller already obtained, or a newly issued one. */
  replaceRejected(rejected: string): Promise<string>;
}

export interface AccessTokenManagerOptions {
  /** For messages only. */
  brokerId: string;
  /** The app key's entry in the store (tokenStoreKey). */
  storeKey: string;
  sealingKey: Buffer;
  issuer: TokenIssuer;
  store: TokenStore;
  /** Issuance takes a permit for the operation 'issueToken' (KIS counts it against its own rule). */
  permits: RestCallPermits;
  /**
   * A token is replaced this long before it expires (capped at a tenth of its lifetime, so that short
   * test lifetimes work). Default 10 minutes.
   */
  refreshMarginMs?: number;
  /** How long issuance may wait for its permit; default 70 s (KIS allows one issuance a minute). */
  issueTimeoutMs?: number;
  /** How long to wait for another process that is issuing; default 90 s. */
  lockWaitMs?: number;
  now?: () => number;
}

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export const DEFAULT_REFRESH_MARGIN_MS = 10 * 60_000;

/**
 * The access token of one app key. Issued on first use, replaced before it expires, and replaced once when
 * the broker answers that it expired; shared through the TokenStore (so replicas with a Redis store share
 * one token) and with at most one issuance in flight per process and, through the store's lock, across
 * processes. Every issuance takes an 'issueToken' rate-limit permit.
 */
export class AccessTokenManager implements AccessTokenSource {
  private cached?: CachedToken;
  private inFlight?: Promise<CachedToken>;
  private issued = 0;
  private readonly refreshMarginMs: number;
  private readonly issueTimeoutMs: number;
  private readonly lockWaitMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AccessTokenManagerOptions) {
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.issueTimeoutMs = options.issueTimeoutMs ?? 70_000;
    this.lockWaitMs = options.lockWaitMs ?? 90_000;
    this.now = options.now ?? Date.now;
    if (!(this.refreshMarginMs >= 0)) {
      throw new InvalidArgumentError('refreshMarginMs must not be negative', { field: 'refreshMarginMs' });
    }
  }

  /** How many tokens this process issued (the broker was asked) for this app key. */
  get issuedCount(): number {
    return this.issued;
  }

  async currentToken(): Promise<string> {
    if (this.cached !== undefined && this.usable(this.cached)) {
      return this.cached.token;
    }
    return (await this.obtainOnce()).token;
  }

  async replaceRejected(rejected: string): Promise<string> {
    if (this.cached !== undefined && this.cached.token !== rejected && this.usable(this.cached)) {
      return this.cached.token;
    }
    if (this.cached?.token === rejected) {
      this.cached = undefined;
    }
    let token = await this.obtainOnce(rejected);
    if (token.token === rejected) {
      // The store still held the rejected token (written before the rejection was known): issue anew.
      this.cached = undefined;
      token = await this.obtainOnce(rejected);
    }
    return token.token;
  }

  /** One obtain at a time per process; concurrent callers share it. */
  private obtainOnce(rejected?: string): Promise<CachedToken> {
    if (this.inFlight === undefined) {
      this.inFlight = this.obtain(rejected).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async obtain(rejected: string | undefined): Promise<CachedToken> {
    const stored = await this.readStore(rejected);
    if (stored !== undefined) {
      return (this.cached = stored);
    }
    try {
      return await this.options.store.withIssueLock(this.options.storeKey, this.lockWaitMs, async () => {
        // Another process may have issued while this one waited for the lock.
        const fresh = await this.readStore(rejected);
        if (fresh !== undefined) {
          return (this.cached = fresh);
        }
        const issued = await this.issue();
        await this.options.store.write(this.options.storeKey, {
          sealed: sealToken(issued.token, this.options.sealingKey),
          issuedAt: issued.issuedAt,
          expiresAt: issued.expiresAt,
        });
        return (this.cached = issued);
      });
    } catch (error) {
      if (error instanceof TokenLockTimeoutError) {
        throw new BrokerUnavailableError(`${this.options.brokerId}: no access token (${error.message})`, {
          details: { brokerId: this.options.brokerId },
          cause: error,
        });
      }
      throw error;
    }
  }

  private async issue(): Promise<CachedToken> {
    const permit = await this.options.permits.acquire('issueToken', { timeoutMs: this.issueTimeoutMs });
    if (permit === undefined) {
      throw new RateLimitExceededError(
        `${this.options.brokerId}: no rate-limit permit to issue an access token within ${this.issueTimeoutMs} ms`,
        {
          retryAfterMs: (await this.options.permits.estimateWaitMs?.('issueToken')) ?? 60_000,
          details: { brokerId: this.options.brokerId, operation: 'issueToken', source: 'client' },
        },
      );
    }
    const issuedAt = this.now();
    let issued: IssuedAccessToken;
    try {
      issued = await this.options.issuer.issue();
    } catch (error) {
      permit.complete(outcomeOfIssueFailure(error));
      throw error;
    }
    permit.complete('answered');
    if (typeof issued.token !== 'string' || issued.token === '' || !(issued.expiresAt > this.now())) {
      throw new AuthenticationError(`${this.options.brokerId}: the broker issued no usable access token`, {
        details: { brokerId: this.options.brokerId },
      });
    }
    this.issued += 1;
    return { token: issued.token, issuedAt, expiresAt: issued.expiresAt };
  }

  private async readStore(rejected: string | undefined): Promise<CachedToken | undefined> {
    const stored = await this.options.store.read(this.options.storeKey);
    if (stored === undefined) {
      return undefined;
    }
    const token = unsealToken(stored.sealed, this.options.sealingKey);
    if (token === undefined || token === rejected) {
      return undefined;
    }
    const candidate = { token, issuedAt: stored.issuedAt, expiresAt: stored.expiresAt };
    return this.usable(candidate) ? candidate : undefined;
  }

  private usable(token: CachedToken): boolean {
    const margin = Math.min(this.refreshMarginMs, (token.expiresAt - token.issuedAt) / 10);
    return this.now() < token.expiresAt - margin;
  }
}

/**
 * How a failed issuance ended for the limiter: a transport failure says whether the request may have left;
 * a domain error without one was built from the broker's answer; anything else may have left.
 */
function outcomeOfIssueFailure(error: unknown): RestCallOutcome {
  for (let cause: unknown = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    if (isRestTransportError(cause)) {
      return cause.mayHaveReachedBroker ? 'abandoned' : 'unsent';
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return isBrokerError(error) ? 'answered' : 'abandoned';
}
