import { Decimal } from '@qts/broker-domain';
import { asRecord, countField, listField, priceField, signedDecimalField } from '../http/json-fields';
import { MalformedAnswerError } from './malformed-answer-error';

/**
 * Fields an inquiry answer cannot do without: one that is missing or unreadable makes the whole answer
 * unreadable (MalformedAnswerError naming the field), rather than a guess reaching the caller.
 */

/** `value` as read from `field`, or MalformedAnswerError "<field> is not <what>". */
export function requiredField<T>(value: T | undefined, field: string, what: string): T {
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not ${what}`);
  }
  return value;
}

/** An object field; a list stands for its first row (brokers answer some single records as a one-row list). */
export function requiredObject(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = record[field];
  return requiredField(asRecord(Array.isArray(value) ? value[0] : value), field, 'an object');
}

/** A list field; a missing one is an empty list. */
export function requiredList(record: Record<string, unknown>, field: string): Record<string, unknown>[] {
  return requiredField(listField(record, field), field, 'a list');
}

export function requiredPrice(record: Record<string, unknown>, field: string): Decimal {
  return requiredField(priceField(record[field]), field, 'a price');
}

export function requiredCount(record: Record<string, unknown>, field: string): number {
  return requiredField(countField(record[field]), field, 'a count');
}

/** A signed decimal; `what` names it in the error ("a number", "an amount"). */
export function requiredSignedDecimal(record: Record<string, unknown>, field: string, what = 'a number'): Decimal {
  return requiredField(signedDecimalField(record[field]), field, what);
}
