import { Decimal } from '@qts/broker-domain';

/**
 * Readers for the loosely typed JSON of broker REST APIs (numbers arrive as strings, sometimes padded,
 * sometimes signed). Each returns undefined for a value it cannot read rather than guessing.
 */

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A share count: digits with an optional '+' sign and surrounding blanks ("  10", "+0003"). */
export function countField(value: unknown): number | undefined {
  const text = scalarText(value)?.trim();
  if (text === undefined || !/^\+?\d+$/.test(text)) {
    return undefined;
  }
  const count = Number(text);
  return Number.isSafeInteger(count) ? count : undefined;
}

/** A price as a Decimal; sign prefixes (direction markers in Kiwoom) are dropped; never a float. */
export function priceField(value: unknown): Decimal | undefined {
  const text = scalarText(value)?.trim();
  if (text === undefined || !/^[+-]?\d+(\.\d+)?$/.test(text)) {
    return undefined;
  }
  return new Decimal(text).abs();
}

/** Order numbers are compared without their zero padding ("0000117057" == "117057"). */
export function sameOrderNo(a: string, b: string): boolean {
  return a.trim().replace(/^0+(?=\d)/, '') === b.trim().replace(/^0+(?=\d)/, '');
}

/** A signed decimal ("-1200", "+1.25", " 3 "), e.g. a change against the previous close; never a float. */
export function signedDecimalField(value: unknown): Decimal | undefined {
  const text = scalarText(value)?.trim();
  if (text === undefined || !/^[+-]?\d+(\.\d+)?$/.test(text)) {
    return undefined;
  }
  return new Decimal(text);
}

/** A list field of a JSON object; undefined (not []) when the field is something else than a list. */
export function listField(record: Record<string, unknown>, field: string): Record<string, unknown>[] | undefined {
  const value = record[field] ?? [];
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value.map((item) => asRecord(item) ?? {});
}
