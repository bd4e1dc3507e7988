/** A token as the broker issued it. */
export interface IssuedAccessToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/**
 * Calls the broker's token endpoint (KIS /oauth2/tokenP, Kiwoom au10001). Failures are domain errors:
 * AuthenticationError (keys refused), RateLimitExceededError (issuance limit), BrokerUnavailableError or
 * BrokerTimeoutError (transport). Messages never contain the key, the secret or a token.
 */
export interface TokenIssuer {
  issue(): Promise<IssuedAccessToken>;
}
