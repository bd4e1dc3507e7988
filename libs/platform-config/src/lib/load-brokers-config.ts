import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseDocument } from 'yaml';
import { AccountType, BrokerType, type BrokerConfig } from '@qts/broker-domain';
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
  });
  return problems;
}

function toBrokerConfig(broker: BrokerEntrySchema): BrokerConfig {
  return {
    id: broker.id,
    type: BrokerType[broker.type],
    grpc: { host: broker.grpc.host, port: broker.grpc.port },
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
}
