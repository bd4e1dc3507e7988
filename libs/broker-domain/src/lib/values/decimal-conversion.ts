import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';

export { Decimal };

// Plain decimal notation with an optional exponent. decimal.js alone would also take hex, octal and
// binary literals ('0x10'), which are never a legitimate price or amount on our wires.
const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a money/price/quantity input into a finite Decimal, or throws InvalidArgumentError naming the
 * field. Accepts a Decimal, a finite number or a decimal string; rejects NaN, Infinity, empty strings,
 * surrounding whitespace and anything else.
 */
export function toDecimal(value: Decimal.Value, field: string): Decimal {
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) {
      throw invalid(field, 'a finite decimal');
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw invalid(field, 'a finite number');
    }
    return new Decimal(value);
  }
  if (typeof value === 'string') {
    if (!DECIMAL_STRING.test(value)) {
      throw invalid(field, 'a decimal string');
    }
    return new Decimal(value);
  }
  throw invalid(field, 'a decimal');
}

/** Renders a decimal in plain notation (never exponent notation), as the wire and JSON expect. */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}

function invalid(field: string, expected: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field} must be ${expected}`, { field });
}
