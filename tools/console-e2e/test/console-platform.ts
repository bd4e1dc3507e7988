import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import {
  findRepositoryRoot,
  startBuiltApp,
  startSimulatorProcess,
  waitFor,
  type BuiltAppProcess,
  type SimulatorProcess,
} from '@qts/test-support';
import { stringify } from 'yaml';

export const ADMIN_API_KEY = 'console-suite-admin-key-0123456789';

/** The accounts of the suite: each broker's configured ones, and one the KIS server has that the YAML does not list. */
export const ACCOUNTS = {
  kisPaper: '50012345-01',
  kisReal: '70000001-01',
  kisUnlisted: '50012345-02',
  creon: '12345678',
  kiwoom: '5012345601',
} as const;

/** Where the suite writes its screenshots (reports/ is not versioned). */
export const SCREENSHOTS = join(findRepositoryRoot(__dirname), 'reports', 'console-e2e');

/** The platform as `npm start` runs it: the built simulator, worker and gateway on loopback, one shared rate ledger. */
export interface ConsolePlatform {
  simulator: SimulatorProcess;
  gateway: BuiltAppProcess;
  worker: BuiltAppProcess;
  workerClient: qtsExecutionV1.ExecutionServiceClient;
  stop(): Promise<void>;
}

export async function startConsolePlatform(): Promise<ConsolePlatform> {
  const folder = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const simulator = await startSimulatorProcess({
      brokers: [
        {
          id: 'kis',
          type: 'KIS',
          preset: 'none',
          accounts: [
            { id: ACCOUNTS.kisPaper, type: 'PAPER' },
            { id: ACCOUNTS.kisReal, type: 'REAL' },
            { id: ACCOUNTS.kisUnlisted, type: 'PAPER' },
          ],
        },
        { id: 'creon', type: 'CREON', preset: 'none', accounts: [{ id: ACCOUNTS.creon, type: 'PAPER' }] },
        { id: 'kiwoom', type: 'KIWOOM', preset: 'none', accounts: [{ id: ACCOUNTS.kiwoom, type: 'PAPER' }] },
      ],
    });
    started.push(simulator);
    const grpc = (id: string) => ({ host: '127.0.0.1', port: simulator.brokerPorts[id] });
    const brokersConfig = join(folder, 'brokers.yaml');
    writeFileSync(
      brokersConfig,
      stringify({
        brokers: [
          {
            id: 'kis',
            type: 'KIS',
            grpc: grpc('kis'),
            rateLimit: { rules: [{ id: 'requests', limit: 20, windowMs: 1_000 }] },
            required: true,
            accounts: [
              { id: ACCOUNTS.kisPaper, name: '모의투자', type: 'PAPER', default: true },
              { id: ACCOUNTS.kisReal, name: '실전 운용', type: 'REAL' },
            ],
          },
          { id: 'creon', type: 'CREON', grpc: grpc('creon'), rateLimit: { preset: 'creon' }, required: false, accounts: [{ id: ACCOUNTS.creon, name: '위탁', type: 'PAPER', default: true }] },
          { id: 'kiwoom', type: 'KIWOOM', grpc: grpc('kiwoom'), rateLimit: { preset: 'kiwoom' }, required: false, accounts: [{ id: ACCOUNTS.kiwoom, name: '키움 모의', type: 'PAPER', default: true }] },
        ],
      }),
    );
    const common = {
      BROKERS_CONFIG: brokersConfig,
      ADMIN_API_KEY,
      LOG_LEVEL: 'warn',
      LIVE_TRADING_ENABLED: 'false',
      // One budget per broker for both processes, as `npm start` runs them.
      RATE_LIMIT_MODE: 'local',
      RATE_LIMIT_LEDGER_PATH: join(folder, 'rate-limit.sqlite'),
      BROKER_HEALTH_INTERVAL_MS: '500',
      BROKER_DEADLINE_MS: '1500',
      ACCOUNTS_REFRESH_MS: '500',
    };
    const worker = await startBuiltApp('execution-worker', 'worker', {
      ...common,
      DATABASE_URL: `sqlite:${join(folder, 'worker.sqlite')}`,
      WORKER_RECONCILE_GRACE_MS: '3000',
    });
    started.push(worker);
    const gateway = await startBuiltApp('gateway-api', 'gateway', {
      ...common,
      DATABASE_URL: `sqlite:${join(folder, 'gateway.sqlite')}`,
      GATEWAY_WORKER_URL: worker.httpUrl,
      GATEWAY_CONSOLE_BALANCE_REFRESH_MS: '3000',
    });
    started.push(gateway);
    for (const app of [gateway, worker]) {
      await waitFor(async () => (await fetch(`${app.httpUrl}/health/ready`)).status === 200, { timeoutMs: 30_000, description: `${app.name} ready` });
    }
    const workerClient = new qtsExecutionV1.ExecutionServiceClient(worker.grpcAddress, credentials.createInsecure());
    mkdirSync(SCREENSHOTS, { recursive: true });
    return {
      simulator,
      gateway,
      worker,
      workerClient,
      stop: async () => {
        workerClient.close();
        await Promise.all([gateway.stop(), worker.stop()]);
        await simulator.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const process of started.reverse()) await process.stop();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Creates a key through a service's admin API with the bootstrap admin key; answers the key. */
export async function createApiKey(baseUrl: string, path: string, body: object): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_API_KEY },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating a key at ${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

/** A resting one-share buy far below the market (it stays ACCEPTED at the broker). */
export function restingBuy(intentId: string, accountId: string, symbol = '001510'): qtsExecutionV1.SubmitIntentRequest {
  return {
    intentId,
    strategyId: 'console-suite',
    brokerId: 'kis',
    accountId,
    symbol,
    side: qtsTypeV1.OrderSide.BUY,
    quantity: 1,
    orderType: qtsTypeV1.OrderType.LIMIT,
    limitPrice: '500',
    dryRun: false,
    expiresAt: '',
    maxDelayMs: 0,
  };
}

/** SubmitIntent with the admin key, as a strategy engine with a key would call it. */
export function submitIntent(client: qtsExecutionV1.ExecutionServiceClient, request: qtsExecutionV1.SubmitIntentRequest): Promise<qtsExecutionV1.SubmitIntentResponse> {
  const metadata = new Metadata();
  metadata.set('x-api-key', ADMIN_API_KEY);
  return new Promise((resolve, reject) =>
    client.submitIntent(request, metadata, { deadline: Date.now() + 15_000 }, (error, response) => (error ? reject(error) : resolve(response))),
  );
}
