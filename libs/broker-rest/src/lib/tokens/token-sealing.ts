import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SecretText } from '../credentials/secret-text';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The key tokens of one app key are sealed with, derived from its app secret: a shared store (Redis) then
 * holds nothing a reader without the secret could use, and replicas with the same secret can read it.
 */
export function tokenSealingKey(appSecret: SecretText, storeKey: string): Buffer {
  return createHash('sha256').update(`qts-access-token\u0000${storeKey}\u0000${appSecret.reveal()}`).digest();
}

export function sealToken(token: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url');
}

/** The token, or undefined when `sealed` was not sealed with this key (another secret, or garbage). */
export function unsealToken(sealed: string, key: Buffer): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) {
      return undefined;
    }
    const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The store key of an app key: the key itself never appears in the store (hashed), only its broker and server. */
export function tokenStoreKey(broker: string, environment: string, appKey: SecretText): string {
  const digest = createHash('sha256').update(appKey.reveal()).digest('hex').slice(0, 32);
  return `${broker.toLowerCase()}:${environment}:${digest}`;
}
