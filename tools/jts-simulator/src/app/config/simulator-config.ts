import type { status } from '@grpc/grpc-js';
import type { BrokerType } from '@qts/broker-domain';
import type { SimulatedAccount } from '../broker/simulated-broker';
import type { SimulatorRateLimit } from '../rate/broker-rate-enforcer';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ADMIN_PORT = 50060;
export const DEFAULT_SEED = 42;

export interface SimulatedBrokerConfig {
  id: string;
  type: BrokerType;
  /** 0 = pick a free port. */
  port: number;
  rateLimit: SimulatorRateLimit;
  accounts: SimulatedAccount[];
}

/** Faults every broker starts with (the CLI flags). */
export interface StartupFaults {
  latencyMs?: number;
  errorRate?: number;
  /** Status of error-rate failures; default UNAVAILABLE. */
  errorCode?: status;
}

/** Everything a simulator run is made of, validated. */
export interface SimulatorConfig {
  host: string;
  adminPort: number;
  seed: number;
  brokers: SimulatedBrokerConfig[];
  /** Interval between quote batches of StreamQuotes; default the mock's 500 ms. */
  quoteIntervalMs?: number;
  faults?: StartupFaults;
  /** Start with every broker port closed (refusing connections) until the admin API brings it up. */
  startDown?: boolean;
}
