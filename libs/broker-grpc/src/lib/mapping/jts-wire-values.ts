import { Decimal } from '@qts/broker-domain';
import { MalformedResponseError } from './malformed-response-error';

/**
 * Readers and writers of the jts.v1 wire conventions (proto/jts/v1/common.proto): decimals are base-10
 * strings that go into decimal.js unchanged (never through a JS number), '' means "not available",
 * timestamps are RFC 3339 strings.
 */

// Plain decimal notation, optionally with an exponent; decimal.js alone would also accept '0x10'.
const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// RFC 3339 date-time: a full date, 'T' (or 't'/' '), time with optional fraction, and Z or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A required decimal field. */
export function readDecimal(value: string, field: string): Decimal {
  if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) {
    throw new MalformedResponseError(field, `must be a decimal string (got ${describe(value)})`);
  }
  return new Decimal(value);
}

/** An optional decimal field: '' means "not available". */
export function readOptionalDecimal(value: string, field: string): Decimal | undefined {
  return value === '' || value === undefined ? undefined : readDecimal(value, field);
}

/** A required RFC 3339 timestamp. */
export function readTimestamp(value: string, field: string): Date {
  const millis = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new MalformedResponseError(field, `must be an RFC 3339 timestamp (got ${describe(value)})`);
  }
  return new Date(millis);
}

/** A required non-negative share count (int64 on the wire, a safe integer after decoding). */
export function readCount(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MalformedResponseError(field, `must be a non-negative integer (got ${describe(value)})`);
  }
  return value;
}

/** A required non-empty string. */
export function readText(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new MalformedResponseError(field, 'must not be empty');
  }
  return value;
}

/** Renders a Decimal for the wire in plain notation (never '1e+21'), without rounding. */
export function writeDecimal(value: Decimal): string {
  return value.toFixed();
}

/** Renders an instant as the UTC RFC 3339 form the JTS servers send ('2024-01-02T00:00:00.000Z'). */
export function writeTimestamp(value: Date): string {
  return value.toISOString();
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40 ? `'${value.slice(0, 40)}...'` : `'${value}'`;
  }
  return String(value);
}
