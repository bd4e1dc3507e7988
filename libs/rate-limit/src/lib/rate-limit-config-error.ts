/** A rate-limit configuration that cannot be honoured; `field` names the offending setting. */
export class RateLimitConfigError extends Error {
  override readonly name = 'RateLimitConfigError';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}
