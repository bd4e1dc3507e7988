import { parseArgs } from 'node:util';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { isRatePresetId } from '@qts/rate-limit';
import {
  DEFAULT_ADMIN_PORT,
  DEFAULT_TOKEN_TTL_MS,
  defaultRestBrokers,
  RestSimulatorConfig,
  SimulatedRestBrokerConfig,
} from '../config/rest-simulator-config';
import { SimulatorConfigError } from '../config/simulator-config-error';
import { isLogLevel, LOG_LEVELS, LogLevel } from '../logging/simulator-logger';

export interface CliArguments {
  help: boolean;
  config: RestSimulatorConfig;
  logLevel: LogLevel;
}

const OPTIONS = {
  broker: { type: 'string', multiple: true },
  account: { type: 'string', multiple: true },
  rule: { type: 'string', multiple: true },
  'admin-port': { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  'token-ttl-ms': { type: 'string' },
  'accept-app-key': { type: 'string', multiple: true },
  'latency-ms': { type: 'string' },
  'error-rate': { type: 'string' },
  'error-status': { type: 'string' },
  refuse: { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const fail = (field: string, problem: string): SimulatorConfigError => new SimulatorConfigError(field, problem);

function integer(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const number = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw fail(flag, `must be an integer between ${min} and ${max} (got ${JSON.stringify(value)})`);
  }
  return number;
}

/** `kis:KIS:50071`, `kis:KIS:0:kis-real`, `kw:KIWOOM:0:none`. KIS is the paper server unless the preset is kis-real. */
export function parseBrokerFlag(value: string): SimulatedRestBrokerConfig {
  const flag = `--broker ${value}`;
  const parts = value.split(':');
  if (parts.length < 3 || parts.length > 4) {
    throw fail('--broker', `must be id:TYPE:port[:preset], e.g. kis:KIS:50071:kis-paper (got ${JSON.stringify(value)})`);
  }
  const [id, type, port, preset] = parts;
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(id)) {
    throw fail(`${flag}: id`, 'must be 1-32 lower-case letters, digits or dashes, starting with a letter');
  }
  if (type !== BrokerType.KIS && type !== BrokerType.KIWOOM) {
    throw fail(`${flag}: TYPE`, 'must be KIS or KIWOOM (Creon has no REST API: use the JTS simulator)');
  }
  const defaultPreset = type === BrokerType.KIS ? 'kis-paper' : 'kiwoom';
  const chosen = preset ?? defaultPreset;
  if (chosen !== 'none' && !isRatePresetId(chosen)) {
    throw fail(`${flag}: preset`, 'must be kis-real, kis-paper, kiwoom or none');
  }
  const defaults = defaultRestBrokers().find((broker) => broker.type === type) as SimulatedRestBrokerConfig;
  return {
    id,
    type,
    port: integer(port, `${flag}: port`, 0, 65_535) as number,
    preset: chosen,
    ruleOverrides: [],
    paper: chosen !== 'kis-real',
    accounts: defaults.accounts.map((account) => ({ ...account, type: chosen === 'kis-real' ? AccountType.REAL : account.type })),
  };
}

export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true });
  } catch (error) {
    throw fail('arguments', (error as Error).message);
  }
  const values = parsed.values;
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) {
    throw fail('--log-level', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const brokers = values.broker === undefined ? defaultRestBrokers() : values.broker.map(parseBrokerFlag);
  const ids = new Set<string>();
  for (const broker of brokers) {
    if (ids.has(broker.id)) {
      throw fail('--broker', `serves broker '${broker.id}' twice`);
    }
    ids.add(broker.id);
  }
  const explicitAccounts = new Set<string>();
  for (const value of values.account ?? []) {
    const match = /^([a-z][a-z0-9-]*):([0-9A-Za-z-]+)(?::(REAL|PAPER))?$/.exec(value);
    const broker = match === null ? undefined : brokers.find((candidate) => candidate.id === match[1]);
    if (match === null || broker === undefined) {
      throw fail(`--account ${value}`, 'must be brokerId:accountId[:REAL|PAPER] for a served broker');
    }
    if (broker.type === BrokerType.KIS && !/^\d{8}-?\d{2}$/.test(match[2])) {
      throw fail(`--account ${value}`, 'must be a KIS account CANO-ACNT_PRDT_CD (8 and 2 digits)');
    }
    // The first --account of a broker replaces its default account; further ones add to it.
    if (!explicitAccounts.has(broker.id)) {
      explicitAccounts.add(broker.id);
      broker.accounts = [];
    }
    const type = (match[3] as AccountType | undefined) ?? (broker.paper ? AccountType.PAPER : AccountType.REAL);
    if (!broker.accounts.some((known) => known.id === match[2])) {
      broker.accounts.push({ id: match[2], type });
    }
  }
  for (const value of values.rule ?? []) {
    const match = /^([a-z][a-z0-9-]*):([A-Za-z][\w-]*):(\d+):(\d+)$/.exec(value);
    const broker = match === null ? undefined : brokers.find((candidate) => candidate.id === match[1]);
    if (match === null || broker === undefined || Number(match[3]) < 1 || Number(match[4]) < 1) {
      throw fail(`--rule ${value}`, 'must be brokerId:ruleId:limit:windowMs for a served broker, e.g. kis:token:1:2000');
    }
    broker.ruleOverrides.push({ id: match[2], limit: Number(match[3]), windowMs: Number(match[4]) });
  }
  const errorRateText = values['error-rate'];
  const errorRate = errorRateText === undefined ? 0 : Number(errorRateText);
  if (!(errorRate >= 0 && errorRate <= 1)) {
    throw fail('--error-rate', `must be a number between 0 and 1 (got ${JSON.stringify(errorRateText)})`);
  }
  return {
    help: values.help === true,
    logLevel,
    config: {
      brokers,
      adminPort: integer(values['admin-port'], '--admin-port', 0, 65_535) ?? DEFAULT_ADMIN_PORT,
      host: values.host ?? '127.0.0.1',
      seed: integer(values.seed, '--seed', -(2 ** 31), 2 ** 31 - 1) ?? 42,
      tokenTtlMs: integer(values['token-ttl-ms'], '--token-ttl-ms', 1_000, 7 * 24 * 3_600_000) ?? DEFAULT_TOKEN_TTL_MS,
      acceptedAppKeys: values['accept-app-key'] ?? [],
      latencyMs: integer(values['latency-ms'], '--latency-ms', 0, 600_000) ?? 0,
      errorRate,
      errorStatus: integer(values['error-status'], '--error-status', 400, 599) ?? 500,
      refuse: values.refuse === true,
    },
  };
}
