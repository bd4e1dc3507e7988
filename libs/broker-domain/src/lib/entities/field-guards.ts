import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';
import { toDecimal } from '../values/decimal-conversion';

/**
 * Constructor-time checks shared by the entities. Each throws InvalidArgumentError naming the field, so
 * a malformed broker payload is rejected where it enters the domain instead of deep inside a calculation.
 */

/** Decimal inputs accepted by entity props: a Decimal or a decimal string straight off the wire. */
export type DecimalInput = Decimal | string;

/** KRX short codes are six characters: digits, and since 2023 upper-case letters for some new listings. */
const SYMBOL_CODE = /^[0-9A-Z]{6}$/;

export function isSymbolCode(value: unknown): value is string {
  return typeof value === 'string' && SYMBOL_CODE.test(value);
}

export function requireSymbolCode(value: unknown, field: string): string {
  if (!isSymbolCode(value)) {
    throw new InvalidArgumentError(`${field} must be a 6-character KRX code such as '005930'`, { field });
  }
  return value;
}

export function requireNonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new InvalidArgumentError(`${field} must be a non-empty string`, { field });
  }
  return value;
}

export function optionalNonEmptyString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireNonEmptyString(value, field);
}

/** Returns a private copy so a caller mutating its Date cannot change the entity. */
export function requireDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(`${field} must be a valid Date`, { field });
  }
  return new Date(value.getTime());
}

export function requireEnumValue<T extends string>(
  enumObject: Record<string, T>,
  value: unknown,
  field: string,
): T {
  const allowed = Object.values(enumObject);
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InvalidArgumentError(`${field} must be one of ${allowed.join(', ')}`, { field });
  }
  return value as T;
}

export function requireDecimal(value: unknown, field: string): Decimal {
  if (!Decimal.isDecimal(value) && typeof value !== 'string') {
    throw new InvalidArgumentError(`${field} must be a Decimal or a decimal string`, { field });
  }
  return toDecimal(value, field);
}

export function optionalDecimal(value: unknown, field: string): Decimal | undefined {
  return value === undefined ? undefined : requireDecimal(value, field);
}

export function requirePositiveDecimal(value: unknown, field: string): Decimal {
  const decimal = requireDecimal(value, field);
  if (!decimal.greaterThan(0)) {
    throw new InvalidArgumentError(`${field} must be positive`, { field });
  }
  return decimal;
}

export function optionalPositiveDecimal(value: unknown, field: string): Decimal | undefined {
  return value === undefined ? undefined : requirePositiveDecimal(value, field);
}

export function requireNonNegativeDecimal(value: unknown, field: string): Decimal {
  const decimal = requireDecimal(value, field);
  if (decimal.isNegative() && !decimal.isZero()) {
    throw new InvalidArgumentError(`${field} must not be negative`, { field });
  }
  return decimal;
}

export function requireNonNegativeSafeInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${field} must be a non-negative integer`, { field });
  }
  // Normalise -0 so that JSON and equality checks never see it.
  return value + 0;
}

export function requirePositiveSafeInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${field} must be a positive integer`, { field });
  }
  return value;
}
