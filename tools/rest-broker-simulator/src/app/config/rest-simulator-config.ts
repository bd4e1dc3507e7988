import { AccountType, BrokerType } from '@qts/broker-domain';
import type { RateLimitRule } from '@qts/rate-limit';

/** REST brokers the simulator can serve. */
export type RestBrokerKind = BrokerType.KIS | BrokerType.KIWOOM;

export interface SimulatedAccountConfig {
  /** KIS: "CANO-ACNT_PRDT_CD" (e.g. 50012345-01); Kiwoom: the account number. */
  id: string;
  type: AccountType;
}

export interface SimulatedRestBrokerConfig {
  id: string;
  type: RestBrokerKind;
  /** 0 picks a free port (reported on the READY line). */
  port: number;
  /** Rate-limit preset (kis-real, kis-paper, kiwoom) or 'none'. */
  preset: string;
  /** Rules replacing the preset rule of the same id (e.g. a shorter token window in tests). */
  ruleOverrides: RateLimitRule[];
  /** The KIS paper server (page sizes and tr_ids of 모의투자) rather than the real one. */
  paper: boolean;
  accounts: SimulatedAccountConfig[];
}

export interface RestSimulatorConfig {
  brokers: SimulatedRestBrokerConfig[];
  adminPort: number;
  host: string;
  seed: number;
  /** Lifetime of an issued access token. The brokers issue ~24 h tokens; tests use seconds. */
  tokenTtlMs: number;
  /** When non-empty, only these app keys are accepted (others: the broker's "app key not valid"). */
  acceptedAppKeys: string[];
  latencyMs: number;
  errorRate: number;
  errorStatus: number;
  /** Start with the broker ports closed (connections refused) until the admin API's up. */
  refuse: boolean;
}

export const DEFAULT_ADMIN_PORT = 50070;
export const DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60_000;

/** KIS on 50071, Kiwoom on 50073: beside the JTS simulator's 50060-50063. */
export function defaultRestBrokers(): SimulatedRestBrokerConfig[] {
  return [
    {
      id: 'kis',
      type: BrokerType.KIS,
      port: 50071,
      preset: 'kis-paper',
      ruleOverrides: [],
      paper: true,
      accounts: [{ id: '50012345-01', type: AccountType.PAPER }],
    },
    {
      id: 'kiwoom',
      type: BrokerType.KIWOOM,
      port: 50073,
      preset: 'kiwoom',
      ruleOverrides: [],
      paper: true,
      accounts: [{ id: '5012345601', type: AccountType.PAPER }],
    },
  ];
}
