import { status } from '@grpc/grpc-js';

/** Every error status by name ('UNAVAILABLE' -> 14); OK is not an error and is not listed. */
const ERROR_STATUS_BY_NAME: ReadonlyMap<string, status> = new Map(
  Object.entries(status)
    .filter((entry): entry is [string, status] => typeof entry[1] === 'number' && entry[1] !== status.OK)
    .map(([name, code]) => [name, code]),
);

export const ERROR_STATUS_NAMES: readonly string[] = Object.freeze([...ERROR_STATUS_BY_NAME.keys()]);

/** The status a fault injects when none is named. */
export const DEFAULT_INJECTED_STATUS = status.UNAVAILABLE;

/**
 * Parses a gRPC error status given by name ('UNAVAILABLE', case-insensitive) or number ('14');
 * empty gives UNAVAILABLE. Returns undefined for anything else, including OK.
 */
export function parseErrorStatus(value: string): status | undefined {
  const text = value.trim();
  if (text === '') {
    return DEFAULT_INJECTED_STATUS;
  }
  if (/^\d+$/.test(text)) {
    const code = Number(text);
    return [...ERROR_STATUS_BY_NAME.values()].includes(code) ? code : undefined;
  }
  return ERROR_STATUS_BY_NAME.get(text.toUpperCase());
}

export function statusName(code: status): string {
  return status[code] ?? String(code);
}
