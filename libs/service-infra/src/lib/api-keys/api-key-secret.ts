import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PREFIX = 'qts_';
/** Characters of a key that a listing shows ("qts_" + 8), enough to tell keys apart, far too few to guess. */
const VISIBLE_PREFIX_LENGTH = KEY_PREFIX.length + 8;

/** A new key: "qts_" + 32 random bytes in base64url. */
export function generateApiKeySecret(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Hex SHA-256 of a key. A fast hash is enough here: the keys are 256-bit random values, not passwords, so
 * there is no dictionary to attack.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function visiblePrefixOf(secret: string): string {
  return secret.slice(0, VISIBLE_PREFIX_LENGTH);
}

/** Constant-time equality of two hashes of hashApiKeySecret (equal lengths, so nothing leaks through timing). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
