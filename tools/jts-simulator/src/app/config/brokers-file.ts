import { readFileSync } from 'node:fs';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { RateLimitConfigError } from '@qts/rate-limit';
import { parse as parseYaml } from 'yaml';
import type { SimulatedAccount } from '../broker/simulated-broker';
import { BrokerRateEnforcer } from '../rate/broker-rate-enforcer';
import type { SimulatorRateLimit } from '../rate/broker-rate-enforcer';
import { defaultAccountsFor, defaultRateLimitFor } from './broker-defaults';
import type { SimulatedBrokerConfig } from './simulator-config';
import { SimulatorConfigError } from './simulator-config-error';

/** Broker ids travel in CLI flags, metadata and JSON keys: keep them plain. */
export const BROKER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

type Fail = (field: string, problem: string) => SimulatorConfigError;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseBrokerType(value: unknown, field: string, fail: Fail): BrokerType {
  const text = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (text === undefined || !(Object.values(BrokerType) as string[]).includes(text)) {
    throw fail(field, `must be one of ${Object.values(BrokerType).join(', ')} (got ${JSON.stringify(value)})`);
  }
  return text as BrokerType;
}

export function parsePort(value: unknown, field: string, fail: Fail): number {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw fail(field, `must be an integer between 0 and 65535 (got ${JSON.stringify(value)})`);
  }
  return port;
}

export function parseBrokerId(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || !BROKER_ID_PATTERN.test(value)) {
    throw fail(field, `must be a non-empty id of letters, digits, '-' and '_' (got ${JSON.stringify(value)})`);
  }
  return value;
}

/**
 * Checks a rate-limit setting by building the enforcer it describes ('none' or a preset/rules block),
 * so the file and the CLI fail on exactly what the server would refuse, naming the field.
 */
export function checkRateLimit(setting: SimulatorRateLimit, type: BrokerType, field: string, fail: Fail): SimulatorRateLimit {
  try {
    BrokerRateEnforcer.create(setting, type, () => 0, field);
  } catch (error) {
    if (error instanceof RateLimitConfigError) {
      throw fail(error.field, error.message.slice(error.field.length + 1));
    }
    throw error;
  }
  return setting;
}

function parseAccounts(value: unknown, type: BrokerType, field: string, fail: Fail): SimulatedAccount[] {
  if (value === undefined || value === null) {
    return defaultAccountsFor(type);
  }
  if (!Array.isArray(value)) {
    throw fail(field, 'must be a list of accounts');
  }
  if (value.length === 0) {
    return defaultAccountsFor(type);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(entry)) {
      throw fail(at, 'must be an object with id and type');
    }
    // YAML reads an unquoted 12345678 as a number; an account number is still an id.
    const id = typeof entry['id'] === 'number' && Number.isSafeInteger(entry['id']) ? String(entry['id']) : entry['id'];
    if (typeof id !== 'string' || id.trim() === '') {
      throw fail(`${at}.id`, `must be a non-empty string (got ${JSON.stringify(entry['id'])})`);
    }
    if (seen.has(id)) {
      throw fail(`${at}.id`, `repeats account '${id}'`);
    }
    seen.add(id);
    const accountType = entry['type'] ?? AccountType.PAPER;
    if (!(Object.values(AccountType) as unknown[]).includes(accountType)) {
      throw fail(`${at}.type`, `must be one of ${Object.values(AccountType).join(', ')} (got ${JSON.stringify(accountType)})`);
    }
    return { id, type: accountType as AccountType };
  });
}

function parseRateLimit(value: unknown, type: BrokerType, accounts: SimulatedAccount[], field: string, fail: Fail): SimulatorRateLimit {
  if (value === undefined || value === null) {
    return defaultRateLimitFor(type, accounts);
  }
  if (!isRecord(value)) {
    throw fail(field, 'must be an object such as { preset: kis-paper }');
  }
  const setting: SimulatorRateLimit = value['preset'] === 'none' ? 'none' : (value as SimulatorRateLimit);
  return checkRateLimit(setting, type, field, fail);
}

/**
 * Reads the brokers of a brokers.yaml document (the shape of config/brokers.yaml: id, type, grpc.port,
 * rateLimit, accounts). Keys the simulator does not use (grpc.host, required, mock...) are ignored: the
 * file is shared with the gateway and the worker. Brokers reached over their own REST API (`transport: rest`,
 * or a `rest` block without `grpc`) are not JTS brokers: the simulator skips them.
 */
export function parseBrokersDocument(text: string, source: string): SimulatedBrokerConfig[] {
  const fail: Fail = (field, problem) => new SimulatorConfigError(field, problem, source);
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw fail('document', `is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(document) || !Array.isArray(document['brokers']) || document['brokers'].length === 0) {
    throw fail('brokers', 'must be a non-empty list');
  }
  const seen = new Set<string>();
  const brokers = document['brokers'].flatMap((entry: unknown, index) => {
    const at = `brokers[${index}]`;
    if (!isRecord(entry)) {
      throw fail(at, 'must be an object with id, type, grpc and accounts');
    }
    if (isRestEntry(entry)) {
      return [];
    }
    const id = parseBrokerId(entry['id'], `${at}.id`, fail);
    if (seen.has(id)) {
      throw fail(`${at}.id`, `repeats broker '${id}'`);
    }
    seen.add(id);
    const type = parseBrokerType(entry['type'], `${at}.type`, fail);
    const grpc = entry['grpc'];
    if (!isRecord(grpc)) {
      throw fail(`${at}.grpc`, 'must be an object such as { host: 127.0.0.1, port: 50061 }');
    }
    const port = parsePort(grpc['port'], `${at}.grpc.port`, fail);
    const accounts = parseAccounts(entry['accounts'], type, `${at}.accounts`, fail);
    const rateLimit = parseRateLimit(entry['rateLimit'], type, accounts, `${at}.rateLimit`, fail);
    return [{ id, type, port, rateLimit, accounts }];
  });
  if (brokers.length === 0) {
    throw fail('brokers', 'has no broker reached through JTS (every entry uses the REST transport)');
  }
  return brokers;
}

/** The platform's rule: the stated transport, else REST for an entry with a `rest` block and no `grpc`. */
function isRestEntry(entry: Record<string, unknown>): boolean {
  const transport = entry['transport'];
  if (transport !== undefined) return transport === 'rest';
  return entry['rest'] !== undefined && entry['grpc'] === undefined;
}

export function loadBrokersFile(path: string): SimulatedBrokerConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(error);
    throw new SimulatorConfigError('--config', `file ${path} ${reason}`);
  }
  return parseBrokersDocument(text, path);
}
