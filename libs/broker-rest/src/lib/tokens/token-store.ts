/**
 * A token as a store keeps it. `sealed` is the access token encrypted with a key derived from the app
 * secret (see token-sealing.ts): a reader of the store without the secret cannot use it.
 */
export interface StoredAccessToken {
  readonly sealed: string;
  /** Epoch milliseconds. */
  readonly issuedAt: number;
  /** Epoch milliseconds; the store may forget the entry after this. */
  readonly expiresAt: number;
}

/**
 * Where access tokens live between requests, keyed per app key. The in-memory store serves one process;
 * the Redis store lets every replica share one token per app key, so that replicas do not each issue their
 * own (KIS allows one issuance a minute per app key).
 */
export interface TokenStore {
  read(key: string): Promise<StoredAccessToken | undefined>;
  write(key: string, token: StoredAccessToken): Promise<void>;
  /**
   * Runs `issue` while holding the issuance lock of `key`, so one process at a time issues a token for an
   * app key; the others wait, then find the new token in the store. Rejects with TokenLockTimeoutError when
   * the lock is not free within `waitMs`.
   */
  withIssueLock<T>(key: string, waitMs: number, issue: () => Promise<T>): Promise<T>;
}

export class TokenLockTimeoutError extends Error {
  constructor(waitMs: number) {
    super(`another process has been issuing the access token for more than ${waitMs} ms`);
    this.name = 'TokenLockTimeoutError';
  }
}
