import { BrokerType } from '@qts/broker-domain';
import { presetPermits } from './rest-broker-harness';
import { createRestBroker, RestBrokerConnection } from '../src/lib/create-rest-broker';
import { KIS_PAPER_BASE_URL } from '../src/lib/kis/kis-endpoints';
import { KIWOOM_MOCK_BASE_URL } from '../src/lib/kiwoom/kiwoom-endpoints';
import { InMemoryTokenStore } from '../src/lib/tokens/in-memory-token-store';

/** The environment variables a paper smoke test reads: names only; the values never leave the process. */
export interface PaperSmokeSpec {
  brokerType: BrokerType.KIS | BrokerType.KIWOOM;
  label: string;
  appKeyEnv: string;
  appSecretEnv: string;
  accountEnv: string;
  /** Set to 1 to also place and cancel one small limit order far from the market (paper money only). */
  ordersEnv: string;
}

export const KIS_PAPER_SMOKE: PaperSmokeSpec = {
  brokerType: BrokerType.KIS,
  label: 'KIS paper (모의투자, openapivts)',
  appKeyEnv: 'KIS_PAPER_APP_KEY',
  appSecretEnv: 'KIS_PAPER_APP_SECRET',
  accountEnv: 'KIS_PAPER_ACCOUNT',
  ordersEnv: 'KIS_PAPER_SMOKE_ORDERS',
};

export const KIWOOM_PAPER_SMOKE: PaperSmokeSpec = {
  brokerType: BrokerType.KIWOOM,
  label: 'Kiwoom paper (모의투자, mockapi.kiwoom.com)',
  appKeyEnv: 'KIWOOM_PAPER_APP_KEY',
  appSecretEnv: 'KIWOOM_PAPER_APP_SECRET',
  accountEnv: 'KIWOOM_PAPER_ACCOUNT',
  ordersEnv: 'KIWOOM_PAPER_SMOKE_ORDERS',
};

/** The variables of `spec` that are not set. */
export function missingPaperCredentials(spec: PaperSmokeSpec, env: NodeJS.ProcessEnv = process.env): string[] {
  return [spec.appKeyEnv, spec.appSecretEnv, spec.accountEnv].filter((name) => (env[name] ?? '').trim() === '');
}

/**
 * Says, on stdout, whether the smoke test of `spec` runs. Returns false (and the suite must not run) when a
 * variable is missing: that is "not run", never "passed".
 */
export function announcePaperSmoke(spec: PaperSmokeSpec, env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = missingPaperCredentials(spec, env);
  if (missing.length > 0) {
    process.stdout.write(`NOT RUN: ${spec.label} smoke test: set ${missing.join(', ')} to run it against a paper account\n`);
    return false;
  }
  process.stdout.write(`RUNNING: ${spec.label} smoke test against ${spec.brokerType === BrokerType.KIS ? KIS_PAPER_BASE_URL : KIWOOM_MOCK_BASE_URL}\n`);
  return true;
}

/**
 * A connection to the broker's PAPER server only: the environment is fixed to 'paper' and the base URL to the
 * broker's paper URL, whatever else is set, so a smoke run can never reach a real account. Requests stay
 * within the paper preset (KIS 2/s, Kiwoom 5/s) as leases.
 */
export function connectPaper(spec: PaperSmokeSpec): { broker: RestBrokerConnection; baseUrl: string; requestedUrls: string[] } {
  const kis = spec.brokerType === BrokerType.KIS;
  const baseUrl = kis ? KIS_PAPER_BASE_URL : KIWOOM_MOCK_BASE_URL;
  const requestedUrls: string[] = [];
  // Every URL is recorded (without its query) so the test can prove that nothing but the paper server was asked.
  const recordingFetch = (input: string, init: RequestInit): Promise<Response> => {
    requestedUrls.push(input.split('?')[0]);
    return fetch(input, init);
  };
  const broker = createRestBroker({
    brokerId: kis ? 'kis-paper-smoke' : 'kiwoom-paper-smoke',
    brokerType: spec.brokerType,
    accountId: (process.env[spec.accountEnv] ?? '').trim(),
    transport: {
      environment: 'paper',
      baseUrl,
      credentials: { appKey: { env: spec.appKeyEnv }, appSecret: { env: spec.appSecretEnv } },
      requestTimeoutMs: 10_000,
      permitTimeoutMs: 30_000,
    },
    permits: presetPermits(kis ? 'kis-paper' : 'kiwoom').permits,
    tokenStore: new InMemoryTokenStore(),
    fetch: recordingFetch,
  });
  return { broker, baseUrl, requestedUrls };
}
