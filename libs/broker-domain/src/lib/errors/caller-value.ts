/** Characters of a caller's value an error message may repeat. */
export const QUOTED_VALUE_MAX_CHARS = 32;

/**
 * A caller's value as an error message may show it: quoted, at most QUOTED_VALUE_MAX_CHARS characters with control
 * characters escaped, and the full length when it was cut ("'abc…' (70000 characters)"). Messages stay short
 * whatever the caller sent: a 100 KB id echoed in a gRPC status would not even fit the client's header limits.
 */
export function quoteCallerValue(value: string, maxChars = QUOTED_VALUE_MAX_CHARS): string {
  // Whole code points (a surrogate pair is never split); only the head of a long value is looked at.
  const shown = [...value.slice(0, 2 * maxChars)].slice(0, maxChars).join('');
  // eslint-disable-next-line no-control-regex
  const printable = shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > shown.length ? `'${printable}…' (${value.length} characters)` : `'${printable}'`;
}
