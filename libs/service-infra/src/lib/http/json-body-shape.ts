import { RequestValidationError } from '../errors/platform-errors';

/**
 * Deepest nesting of objects and arrays a request body or query may have. The APIs' bodies are two levels deep;
 * the bound keeps recursive validation and transformation far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/** Keys that reach an object's prototype when copied naively: never a field of the APIs, refused wherever they appear. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses (RequestValidationError, 400) a parsed body or query nested deeper than MAX_JSON_DEPTH or holding a
 * prototype key at any level, before anything walks it recursively. Iterative: the check itself cannot overflow
 * the stack.
 */
export function assertSafeJsonShape(value: unknown, where: string): void {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new RequestValidationError([`${where} is nested deeper than ${MAX_JSON_DEPTH} levels`], [where]);
    }
    for (const key of Object.keys(node)) {
      if (PROTOTYPE_KEYS.has(key)) {
        throw new RequestValidationError([`${where} must not contain the key '${key}'`], [where]);
      }
      pending.push({ node: (node as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
}
