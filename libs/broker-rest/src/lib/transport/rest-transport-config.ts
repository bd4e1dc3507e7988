import { BrokerType, isSymbolCode, type RestCredentialSources, type RestTransportConfig } from '@qts/broker-domain';
import { requireCredentialSource } from '../credentials/resolve-credentials';

export type { RestEnvironment, RestTransportConfig } from '@qts/broker-domain';

/** Configuration that cannot be used; the message names the field. */
export class RestConfigError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field} ${message}`);
    this.name = 'RestConfigError';
    this.field = field;
  }
}

const KNOWN_KEYS = [
  'environment',
  'baseUrl',
  'credentials',
  'requestTimeoutMs',
  'permitTimeoutMs',
  'tokenRefreshMarginMs',
  'quotePollIntervalMs',
  'symbols',
];

/**
 * Validates the REST transport of a broker entry (e.g. `brokers[2].rest`) and throws RestConfigError naming
 * the first bad field. Only KIS and Kiwoom have a REST API; Creon is reached through JTS only.
 */
export function parseRestTransportConfig(value: unknown, field: string, brokerType: BrokerType): RestTransportConfig {
  if (brokerType !== BrokerType.KIS && brokerType !== BrokerType.KIWOOM) {
    throw new RestConfigError(field, `is not available for ${brokerType}: only KIS and KIWOOM have a REST API (use JTS)`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RestConfigError(field, 'must be an object with environment and credentials');
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new RestConfigError(`${field}.${key}`, `is not a known setting (expected ${KNOWN_KEYS.join(', ')})`);
    }
  }
  const environment = record['environment'];
  if (environment !== 'real' && environment !== 'paper') {
    throw new RestConfigError(`${field}.environment`, "must be 'real' or 'paper'");
  }
  const baseUrl = record['baseUrl'];
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !/^https?:\/\/[^/\s]+/i.test(baseUrl))) {
    throw new RestConfigError(`${field}.baseUrl`, 'must be an http(s) URL');
  }
  const credentials = record['credentials'];
  if (credentials === null || typeof credentials !== 'object' || Array.isArray(credentials)) {
    throw new RestConfigError(`${field}.credentials`, 'must name the sources of appKey and appSecret');
  }
  const sources = credentials as Record<string, unknown>;
  for (const key of Object.keys(sources)) {
    if (!['appKey', 'appSecret', 'accountNumber', 'accountProductCode'].includes(key)) {
      throw new RestConfigError(`${field}.credentials.${key}`, 'is not a known credential (appKey, appSecret, accountNumber, accountProductCode)');
    }
  }
  for (const key of ['appKey', 'appSecret']) {
    if (sources[key] === undefined) {
      throw new RestConfigError(`${field}.credentials.${key}`, 'is required ({ env: NAME } or { file: PATH })');
    }
  }
  const checked: Record<string, ReturnType<typeof requireCredentialSource>> = {};
  for (const [key, source] of Object.entries(sources)) {
    try {
      checked[key] = requireCredentialSource(source, `${field}.credentials.${key}`);
    } catch (error) {
      throw new RestConfigError(`${field}.credentials.${key}`, (error as Error).message.replace(/^[^:]*: /, ''));
    }
  }
  const config: RestTransportConfig = {
    environment,
    credentials: checked as unknown as RestCredentialSources,
    ...(baseUrl === undefined ? {} : { baseUrl: baseUrl as string }),
  };
  for (const key of ['requestTimeoutMs', 'permitTimeoutMs', 'tokenRefreshMarginMs', 'quotePollIntervalMs'] as const) {
    const ms = record[key];
    if (ms === undefined) continue;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < (key === 'tokenRefreshMarginMs' || key === 'permitTimeoutMs' ? 0 : 1)) {
      throw new RestConfigError(`${field}.${key}`, 'must be a whole number of milliseconds');
    }
    config[key] = ms;
  }
  const symbols = record['symbols'];
  if (symbols !== undefined) {
    if (brokerType !== BrokerType.KIS) {
      throw new RestConfigError(`${field}.symbols`, 'is only for KIS (Kiwoom lists its symbols itself)');
    }
    if (!Array.isArray(symbols)) {
      throw new RestConfigError(`${field}.symbols`, 'must be a list of 6-character KRX codes');
    }
    symbols.forEach((code, index) => {
      if (!isSymbolCode(code)) {
        throw new RestConfigError(`${field}.symbols[${index}]`, "must be a 6-character KRX code such as '005930' (quote it in YAML)");
      }
    });
    config.symbols = [...(symbols as string[])];
  }
  return config;
}
