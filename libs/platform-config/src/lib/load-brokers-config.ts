import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseDocument } from 'yaml';
import { AccountType, BrokerType, type BrokerConfig, type RestTransportConfig } from '@qts/broker-domain';
import { parseRestTransportConfig, RestConfigError } from '@qts/broker-rest';
import { RateLimitConfigError, resolveRateLimitConfig } from '@qts/rate-limit';
import { BrokersFileSchema, type BrokerEntrySchema } from './brokers-file.schema';
import { ConfigValidationError } from './config-validation-error';
import { flattenValidationErrors } from './flatten-validation-errors';

/** Reads and validates the brokers YAML file; throws ConfigValidationError listing every problem. */
export function loadBrokersConfig(path: string): BrokerConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigValidationError(path, [`BROKERS_CONFIG cannot read ${path} (${reason})`]);
  }
  return parseBrokersConfig(text, path);
}

/** Validates brokers YAML text; `source` names the file in error messages. */
export function parseBrokersConfig(text: string, source = 'brokers.yaml'): BrokerConfig[] {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigValidationError(
      source,
      document.errors.map((error) => `YAML syntax: ${error.message.split('\n')[0]}`),
    );
  }
  const raw: unknown = document.toJS();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigValidationError(source, ['the file must be a mapping with a `brokers` list']);
  }

  const schema = plainToInstance(BrokersFileSchema, raw);
  const problems = flattenValidationErrors(
    validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
  ).map((problem) => (problem.constraint === 'whitelistValidation' ? `${problem.path} is not a known setting` : problem.message));
  if (problems.length === 0) problems.push(...crossFieldProblems(schema.brokers));
  if (problems.length > 0) throw new ConfigValidationError(source, problems);
  return schema.brokers.map(toBrokerConfig);
}

function crossFieldProblems(brokers: BrokerEntrySchema[]): string[] {
  const problems: string[] = [];
  if (brokers.length === 0) problems.push('brokers must list at least one broker');
  brokers.forEach((broker, index) => {
    const path = `brokers[${index}]`;
    try {
      resolveRateLimitConfig(broker.rateLimit, `${path}.rateLimit`);
    } catch (error) {
      if (!(error instanceof RateLimitConfigError)) throw error;
      problems.push(error.message);
    }
    const accounts = broker.accounts ?? [];
    const seen = new Set<string>();
    accounts.forEach((account, accountIndex) => {
      if (seen.has(account.id)) problems.push(`${path}.accounts[${accountIndex}].id duplicates account ${account.id}`);
      seen.add(account.id);
    });
    if (accounts.filter((account) => account.default === true).length > 1) {
      problems.push(`${path}.accounts may flag only one account as default`);
    }
    problems.push(...transportProblems(broker, path));
  });
  return problems;
}

/** The transport of an entry: as stated, else REST when it describes only a REST connection. */
function transportOf(broker: BrokerEntrySchema): 'jts' | 'rest' {
  return broker.transport ?? (broker.rest !== undefined && broker.grpc === undefined ? 'rest' : 'jts');
}

/**
 * JTS needs `grpc`; REST needs a valid `rest` block (KIS and Kiwoom only), one account (an app key trades one
 * account) whose type matches the server: a REAL account on a paper server, or a PAPER one on a real server
 * (its orders would trade real money without LIVE_TRADING_ENABLED), is refused. An entry with both blocks
 * says which one it uses.
 */
function transportProblems(broker: BrokerEntrySchema, path: string): string[] {
  const problems: string[] = [];
  if (broker.transport === undefined && broker.grpc !== undefined && broker.rest !== undefined) {
    problems.push(`${path}.transport must be jts or rest: the entry describes both a grpc and a rest connection`);
    return problems;
  }
  const transport = transportOf(broker);
  let rest: RestTransportConfig | undefined;
  if (broker.rest !== undefined) {
    try {
      rest = parseRestTransportConfig(broker.rest, `${path}.rest`, BrokerType[broker.type]);
    } catch (error) {
      if (!(error instanceof RestConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (transport === 'jts') {
    if (broker.grpc === undefined) problems.push(`${path}.grpc is required for the JTS transport ({ host, port })`);
    return problems;
  }
  if (broker.type === 'CREON') {
    problems.push(`${path}.transport rest is not available for CREON: only KIS and KIWOOM have a REST API (use jts)`);
    return problems;
  }
  if (broker.rest === undefined) {
    problems.push(`${path}.rest is required for the REST transport ({ environment, credentials })`);
    return problems;
  }
  const accounts = broker.accounts ?? [];
  if (accounts.length !== 1) {
    problems.push(`${path}.accounts must list exactly one account for the REST transport: an app key trades one account`);
  } else if (rest !== undefined) {
    const [account] = accounts;
    if (rest.environment === 'paper' && account.type === 'REAL') {
      problems.push(`${path}.accounts[0].type REAL cannot trade on the paper server (rest.environment: paper); use PAPER`);
    }
    if (rest.environment === 'real' && account.type === 'PAPER') {
      problems.push(
        `${path}.accounts[0].type PAPER cannot trade on the real server (rest.environment: real): its orders trade real ` +
          'money, so the account must be REAL (and LIVE_TRADING_ENABLED=true to trade)',
      );
    }
  }
  return problems;
}

function toBrokerConfig(broker: BrokerEntrySchema, index: number): BrokerConfig {
  const type = BrokerType[broker.type];
  const grpc = broker.grpc === undefined ? undefined : { host: broker.grpc.host, port: broker.grpc.port };
  const rest = broker.rest === undefined ? undefined : parseRestTransportConfig(broker.rest, `brokers[${index}].rest`, type);
  const common = {
    id: broker.id,
    type,
    rateLimit: {
      ...(broker.rateLimit.preset !== undefined && { preset: broker.rateLimit.preset }),
      ...(broker.rateLimit.rules !== undefined && {
        rules: broker.rateLimit.rules.map((rule) => ({ id: rule.id, limit: rule.limit, windowMs: rule.windowMs })),
      }),
      ...(broker.rateLimit.share !== undefined && { share: broker.rateLimit.share }),
      ...(broker.rateLimit.tradingReserve !== undefined && { tradingReserve: broker.rateLimit.tradingReserve }),
      ...(broker.rateLimit.maxInFlight !== undefined && { maxInFlight: broker.rateLimit.maxInFlight }),
      ...(broker.rateLimit.marginMs !== undefined && { marginMs: broker.rateLimit.marginMs }),
    },
    accounts: (broker.accounts ?? []).map((account) => ({
      id: account.id,
      name: account.name ?? account.id,
      type: AccountType[account.type],
      isDefault: account.default ?? false,
    })),
    required: broker.required ?? true,
    mock: broker.mock ?? false,
    ...(broker.deadlineMs !== undefined && { deadlineMs: broker.deadlineMs }),
    ...(broker.reconcileGraceMs !== undefined && { reconcileGraceMs: broker.reconcileGraceMs }),
  };
  if (transportOf(broker) === 'rest') {
    return { ...common, transport: 'rest', rest: rest as RestTransportConfig, ...(grpc !== undefined && { grpc }) };
  }
  return { ...common, transport: 'jts', grpc: grpc as { host: string; port: number }, ...(rest !== undefined && { rest }) };
}
