import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret (app key, app secret, access token) that does not leak by accident: string conversion, JSON,
 * util.inspect (console.log, pino's serializers, Nest's logger) and error messages built from it all show
 * "[redacted]". Only reveal() gives the value, for the one header or body field that needs it.
 */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
