import { parseArgs } from 'node:util';
import type { status } from '@grpc/grpc-js';
import type { BrokerType } from '@qts/broker-domain';
import { parseBrokerId, parseBrokerType, parsePort } from '../config/brokers-file';
import { SimulatorConfigError } from '../config/simulator-config-error';
import { validateErrorRate, validateLatencyMs } from '../admin/admin-fault-parsing';
import { ERROR_STATUS_NAMES, parseErrorStatus } from '../grpc/grpc-status-names';
import { isLogLevel, LOG_LEVELS } from '../logging/simulator-logger';
import type { LogLevel } from '../logging/simulator-logger';

/** One `--broker id:TYPE:port[:preset]` flag. */
export interface BrokerFlag {
  id: string;
  type: BrokerType;
  port: number;
  preset?: string;
}

export interface CliArguments {
  help: boolean;
  configPath?: string;
  brokers: BrokerFlag[];
  adminPort?: number;
  host?: string;
  seed?: number;
  latencyMs?: number;
  errorRate?: number;
  errorCode?: status;
  quoteIntervalMs?: number;
  refuse: boolean;
  logLevel: LogLevel;
}

const OPTIONS = {
  config: { type: 'string' },
  broker: { type: 'string', multiple: true },
  'admin-port': { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  'latency-ms': { type: 'string' },
  'error-rate': { type: 'string' },
  'error-code': { type: 'string' },
  'quote-interval-ms': { type: 'string' },
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

/** `kis:KIS:50061` or `kis:KIS:0:none`. */
export function parseBrokerFlag(value: string): BrokerFlag {
  const flag = `--broker ${value}`;
  const parts = value.split(':');
  if (parts.length < 3 || parts.length > 4) {
    throw fail('--broker', `must be id:TYPE:port[:preset], e.g. kis:KIS:50061:kis-paper (got ${JSON.stringify(value)})`);
  }
  const [id, type, port, preset] = parts;
  const broker: BrokerFlag = {
    id: parseBrokerId(id, `${flag}: id`, fail),
    type: parseBrokerType(type, `${flag}: TYPE`, fail),
    port: parsePort(port, `${flag}: port`, fail),
  };
  if (preset !== undefined) {
    if (preset === '') {
      throw fail(`${flag}: preset`, 'must not be empty when given');
    }
    broker.preset = preset;
  }
  return broker;
}

/** Parses the simulator's command line; unknown flags and bad values throw naming the flag. */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw fail('command line:', `${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) {
    throw fail('--log-level', `must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)})`);
  }
  let errorCode: status | undefined;
  if (values['error-code'] !== undefined) {
    errorCode = parseErrorStatus(values['error-code']);
    if (errorCode === undefined || values['error-code'].trim() === '') {
      throw fail('--error-code', `must be a gRPC error code name (${ERROR_STATUS_NAMES.join(', ')}); got ${JSON.stringify(values['error-code'])}`);
    }
  }
  const errorRateText = values['error-rate'];
  let errorRate: number | undefined;
  if (errorRateText !== undefined) {
    const rate = errorRateText.trim() === '' ? Number.NaN : Number(errorRateText);
    errorRate = validateFlag(() => validateErrorRate(rate, '--error-rate'));
  }
  const latencyMs = integer(values['latency-ms'], '--latency-ms', 0, Number.MAX_SAFE_INTEGER);
  if (latencyMs !== undefined) {
    validateFlag(() => validateLatencyMs(latencyMs, '--latency-ms'));
  }
  const host = values.host;
  if (host !== undefined && host.trim() === '') {
    throw fail('--host', 'must not be empty');
  }
  return {
    help: values.help ?? false,
    configPath: values.config,
    brokers: (values.broker ?? []).map(parseBrokerFlag),
    adminPort: integer(values['admin-port'], '--admin-port', 0, 65_535),
    host,
    seed: integer(values.seed, '--seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    latencyMs,
    errorRate,
    errorCode,
    quoteIntervalMs: integer(values['quote-interval-ms'], '--quote-interval-ms', 1, 3_600_000),
    refuse: values.refuse ?? false,
    logLevel,
  };
}

/** Domain validation errors of a flag value, as a configuration error naming the flag. */
function validateFlag<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    const field = (error as { field?: string }).field ?? 'command line';
    throw fail(field, (error as Error).message.slice(field.length + 1));
  }
}
