import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliArguments } from '../cli/parse-cli-arguments';
import type { SimulatorRateLimit } from '../rate/broker-rate-enforcer';
import { defaultAccountsFor, defaultRateLimitFor } from './broker-defaults';
import { checkRateLimit, loadBrokersFile } from './brokers-file';
import { DEFAULT_ADMIN_PORT, DEFAULT_HOST, DEFAULT_SEED } from './simulator-config';
import type { SimulatedBrokerConfig, SimulatorConfig } from './simulator-config';
import { SimulatorConfigError } from './simulator-config-error';

export const DEFAULT_BROKERS_CONFIG = 'config/brokers.yaml';

export interface ConfigEnvironment {
  /** BROKERS_CONFIG: the brokers file when --config is not given. */
  BROKERS_CONFIG?: string;
}

const fail = (field: string, problem: string): SimulatorConfigError => new SimulatorConfigError(field, problem);

/**
 * The run's configuration from the command line, the environment and the brokers file:
 * - without --broker: every broker of the file (--config, else $BROKERS_CONFIG, else config/brokers.yaml),
 *   which must exist;
 * - with --broker: exactly the brokers named by the flags. Each takes its accounts (and, without a preset
 *   in the flag, its rateLimit) from the file's broker of the same id when the file exists; the default
 *   file may be missing, an explicitly named one may not.
 */
export function resolveSimulatorConfig(cli: CliArguments, env: ConfigEnvironment, cwd: string): SimulatorConfig {
  const named = cli.configPath ?? env.BROKERS_CONFIG;
  const configPath = path.resolve(cwd, named ?? DEFAULT_BROKERS_CONFIG);
  const useFile = cli.brokers.length === 0 || named !== undefined || existsSync(configPath);
  const fileBrokers = useFile ? loadBrokersFile(configPath) : [];
  const brokers = cli.brokers.length === 0 ? fileBrokers : brokersFromFlags(cli, fileBrokers);
  const adminPort = cli.adminPort ?? DEFAULT_ADMIN_PORT;
  checkPortClashes(brokers, adminPort);
  return {
    host: cli.host ?? DEFAULT_HOST,
    adminPort,
    seed: cli.seed ?? DEFAULT_SEED,
    brokers,
    ...(cli.quoteIntervalMs !== undefined && { quoteIntervalMs: cli.quoteIntervalMs }),
    faults: {
      ...(cli.latencyMs !== undefined && { latencyMs: cli.latencyMs }),
      ...(cli.errorRate !== undefined && { errorRate: cli.errorRate }),
      ...(cli.errorCode !== undefined && { errorCode: cli.errorCode }),
    },
    startDown: cli.refuse,
  };
}

function brokersFromFlags(cli: CliArguments, fileBrokers: readonly SimulatedBrokerConfig[]): SimulatedBrokerConfig[] {
  const seen = new Set<string>();
  return cli.brokers.map((flag) => {
    if (seen.has(flag.id)) {
      throw fail('--broker', `names broker '${flag.id}' twice`);
    }
    seen.add(flag.id);
    const fromFile = fileBrokers.find((broker) => broker.id === flag.id);
    const accounts = fromFile?.accounts ?? defaultAccountsFor(flag.type);
    let rateLimit: SimulatorRateLimit;
    if (flag.preset === 'none') {
      rateLimit = 'none';
    } else if (flag.preset !== undefined) {
      rateLimit = checkRateLimit({ preset: flag.preset }, flag.type, `--broker ${flag.id}`, fail);
    } else {
      rateLimit = fromFile?.rateLimit ?? defaultRateLimitFor(flag.type, accounts);
    }
    return { id: flag.id, type: flag.type, port: flag.port, rateLimit, accounts };
  });
}

function checkPortClashes(brokers: readonly SimulatedBrokerConfig[], adminPort: number): void {
  const owners = new Map<number, string>(adminPort === 0 ? [] : [[adminPort, 'the admin API']]);
  for (const broker of brokers) {
    if (broker.port === 0) {
      continue;
    }
    const owner = owners.get(broker.port);
    if (owner !== undefined) {
      throw fail(`port ${broker.port}`, `is used by both ${owner} and broker '${broker.id}'`);
    }
    owners.set(broker.port, `broker '${broker.id}'`);
  }
}
