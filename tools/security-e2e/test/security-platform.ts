import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltApp, startSimulatorProcess, waitFor, type BuiltAppProcess, type SimulatorProcess } from '@qts/test-support';
import { stringify } from 'yaml';

export const ADMIN_API_KEY = 'security-suite-admin-key-0123456789';
export const PAPER_ACCOUNT = '50012345-01';
export const CONSOLE_ORIGIN = 'https://console.example.com';

/** The platform under attack: the built simulator, gateway and worker on loopback, logging at info. */
export interface SecurityPlatform {
  simulator: SimulatorProcess;
  gateway: BuiltAppProcess;
  worker: BuiltAppProcess;
  brokersConfig: string;
  folder: string;
  stop(): Promise<void>;
}

export async function startSecurityPlatform(): Promise<SecurityPlatform> {
  const folder = mkdtempSync(join(tmpdir(), 'security-e2e-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: 'KIS', preset: 'none', accounts: [{ id: PAPER_ACCOUNT, type: 'PAPER' }] }],
    });
    started.push(simulator);
    const brokersConfig = join(folder, 'brokers.yaml');
    writeFileSync(
      brokersConfig,
      stringify({
        brokers: [
          {
            id: 'kis',
            type: 'KIS',
            grpc: { host: '127.0.0.1', port: simulator.brokerPorts['kis'] },
            // Far above what the suite sends: the limiter is not what it measures.
            rateLimit: { rules: [{ id: 'requests', limit: 5_000, windowMs: 1_000 }] },
            required: true,
            accounts: [{ id: PAPER_ACCOUNT, name: 'paper', type: 'PAPER', default: true }],
          },
        ],
      }),
    );
    const common = {
      BROKERS_CONFIG: brokersConfig,
      ADMIN_API_KEY,
      LOG_LEVEL: 'info',
      RATE_LIMIT_MODE: 'memory',
      BROKER_HEALTH_INTERVAL_MS: '500',
      BROKER_DEADLINE_MS: '1500',
    };
    const [gateway, worker] = await Promise.all([
      startBuiltApp('gateway-api', 'gateway', { ...common, DATABASE_URL: `sqlite:${join(folder, 'gateway.sqlite')}`, CORS_ALLOWED_ORIGINS: CONSOLE_ORIGIN }),
      startBuiltApp('execution-worker', 'worker', { ...common, DATABASE_URL: `sqlite:${join(folder, 'worker.sqlite')}`, WORKER_RECONCILE_GRACE_MS: '3000' }),
    ]);
    started.push(gateway, worker);
    for (const app of [gateway, worker]) {
      await waitFor(async () => (await fetch(`${app.httpUrl}/health/ready`)).status === 200, { timeoutMs: 30_000, description: `${app.name} ready` });
    }
    return {
      simulator,
      gateway,
      worker,
      brokersConfig,
      folder,
      stop: async () => {
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

/** Creates an API key through a service's admin API (admin key), answering the created key. */
export async function createApiKey(
  baseUrl: string,
  path: string,
  body: { name: string; scopes: string[]; strategies?: string[] },
): Promise<{ id: string; key: string; cacheControl: string | null }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_API_KEY },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating key ${body.name}: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { id: string; key: string };
  return { ...created, cacheControl: response.headers.get('cache-control') };
}
