/**
 * Configuration that cannot be used. Thrown at start-up so the process stops with every problem listed,
 * each naming its field (`brokers[0].grpc.port must be an integer between 1 and 65535`). Values of secret
 * settings are never part of the message.
 */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration (${source}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
