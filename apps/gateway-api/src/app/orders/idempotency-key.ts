import { RequestValidationError } from '@qts/service-infra';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Visible ASCII, 1-255 characters (a UUID is the usual choice). */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** The header's key, undefined when absent; a malformed one is a 400 naming the header. */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new RequestValidationError(
      [`${IDEMPOTENCY_KEY_HEADER} must be 1-255 visible ASCII characters (e.g. a UUID)`],
      [IDEMPOTENCY_KEY_HEADER],
    );
  }
  return value;
}
