import { readFileSync } from 'node:fs';
import { CredentialError } from './credential-error';
import type { CredentialSource, RestCredentialSources } from './credential-source';
import { SecretText } from './secret-text';

/** The credentials of one REST broker connection, read from their sources. */
export interface RestBrokerCredentials {
  readonly appKey: SecretText;
  readonly appSecret: SecretText;
  readonly accountNumber?: string;
  readonly accountProductCode?: string;
}

export interface CredentialReaders {
  /** Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default: fs.readFileSync(path, 'utf8'). */
  readFile?: (path: string) => string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks that a configured value is a credential source and not a secret written into the configuration.
 * Errors name `field` (e.g. `brokers[1].rest.credentials.appKey`).
 */
export function requireCredentialSource(value: unknown, field: string): CredentialSource {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CredentialError(
      field,
      'must be { env: VARIABLE_NAME } or { file: /path/to/secret }; secrets are never written into the configuration',
    );
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'env' && keys[0] !== 'file')) {
    throw new CredentialError(field, `must have exactly one of env or file (got ${keys.join(', ') || 'nothing'})`);
  }
  const record = value as Record<string, unknown>;
  if (keys[0] === 'env') {
    if (typeof record['env'] !== 'string' || !ENV_NAME.test(record['env'])) {
      throw new CredentialError(`${field}.env`, 'must be an environment variable name such as KIS_APP_KEY');
    }
    return { env: record['env'] };
  }
  if (typeof record['file'] !== 'string' || record['file'].trim() === '') {
    throw new CredentialError(`${field}.file`, 'must be the path of a file holding the secret');
  }
  return { file: record['file'] };
}

/** Reads one credential. Surrounding whitespace (the newline of a mounted file) is dropped. */
export function readCredential(source: CredentialSource, field: string, readers: CredentialReaders = {}): string {
  const checked = requireCredentialSource(source, field);
  if ('env' in checked) {
    const value = (readers.env ?? process.env)[checked.env];
    if (value === undefined || value.trim() === '') {
      throw new CredentialError(field, `environment variable ${checked.env} is not set`);
    }
    return value.trim();
  }
  let text: string;
  try {
    text = (readers.readFile ?? ((path: string) => readFileSync(path, 'utf8')))(checked.file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CredentialError(field, `cannot read ${checked.file}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (text.trim() === '') {
    throw new CredentialError(field, `${checked.file} is empty`);
  }
  return text.trim();
}

/** Reads every credential of a broker connection; the first missing one fails, naming its field. */
export function resolveRestCredentials(
  sources: RestCredentialSources,
  field: string,
  readers: CredentialReaders = {},
): RestBrokerCredentials {
  if (sources === null || typeof sources !== 'object') {
    throw new CredentialError(field, 'must list appKey and appSecret sources');
  }
  const optional = (key: 'accountNumber' | 'accountProductCode') =>
    sources[key] === undefined ? {} : { [key]: readCredential(sources[key] as CredentialSource, `${field}.${key}`, readers) };
  return {
    appKey: new SecretText(readCredential(sources.appKey, `${field}.appKey`, readers)),
    appSecret: new SecretText(readCredential(sources.appSecret, `${field}.appSecret`, readers)),
    ...optional('accountNumber'),
    ...optional('accountProductCode'),
  };
}
