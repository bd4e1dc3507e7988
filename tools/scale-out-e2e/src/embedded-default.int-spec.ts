import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepositoryRoot, getFreePorts, SimulatorAdminClient, waitFor } from '@qts/test-support';
import { stringify } from 'yaml';
import { delay, scratchDir } from '../test/app-process';
import { hammerGateways, sampleWire, utilisation } from '../test/load';

/**
 * `npm start` as a user runs it (tools/scripts/start-embedded.mjs, on the builds the `integration` target made):
 * the simulator, one gateway and one worker on this host, sharing each broker's budget through the local
 * ledger file. The broker is KIS paper (2 requests per second, counted on arrival). The gateway is busy, the
 * worker idle: the gateway alone must get the whole budget, and never more.
 */
describe('npm start: a busy gateway and an idle worker share one local budget (kis-paper)', () => {
  const ADMIN_API_KEY = 'embedded-admin-key-0123456789';
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  }, 30_000);

  it('gives the gateway >= 90 % of 2/s on the wire and never more than 2 in any second', async () => {
    const root = findRepositoryRoot(__dirname);
    const dir = scratchDir('embedded-default-');
    const [brokerPort, adminPort, gatewayHttp, gatewayGrpc, workerHttp, workerGrpc] = await getFreePorts(6);
    const brokersConfig = join(dir, 'brokers.yaml');
    writeFileSync(
      brokersConfig,
      stringify({
        brokers: [
          {
            id: 'kis',
            type: 'KIS',
            grpc: { host: '127.0.0.1', port: brokerPort },
            rateLimit: { preset: 'kis-paper' },
            required: true,
            accounts: [{ id: '50012345-01', name: '모의투자', type: 'PAPER', default: true }],
          },
        ],
      }),
    );
    const started = spawn(process.execPath, [join(root, 'tools', 'scripts', 'start-embedded.mjs')], {
      cwd: root,
      env: {
        PATH: process.env['PATH'],
        START_SKIP_BUILD: '1',
        QTS_DATA_DIR: join(dir, 'data'),
        BROKERS_CONFIG: brokersConfig,
        SIMULATOR_ADMIN_PORT: String(adminPort),
        GATEWAY_HTTP_PORT: String(gatewayHttp),
        GATEWAY_GRPC_PORT: String(gatewayGrpc),
        WORKER_HTTP_PORT: String(workerHttp),
        WORKER_GRPC_PORT: String(workerGrpc),
        ADMIN_API_KEY,
        LOG_LEVEL: 'warn',
        TZ: 'UTC',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-16_384));
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    const gateway = `http://127.0.0.1:${gatewayHttp}`;
    await waitFor(
      async () =>
        (await fetch(`${gateway}/health/ready`)).status === 200 &&
        (await fetch(`http://127.0.0.1:${workerHttp}/health/ready`)).status === 200,
      { timeoutMs: 120_000, intervalMs: 250, description: `npm start ready\n${output}` },
    );
    // Both processes keep their grants in the one local ledger of the embedded default.
    for (const url of [gateway, `http://127.0.0.1:${workerHttp}`]) {
      const ready = (await (await fetch(`${url}/health/ready`)).json()) as {
        details: Record<string, { mode?: string }>;
      };
      expect(ready.details['rate-limits']).toMatchObject({ status: 'up', mode: 'local' });
    }
    expect(existsSync(join(dir, 'data', 'rate-limit.sqlite'))).toBe(true);

    const admin = new SimulatorAdminClient(`127.0.0.1:${adminPort}`);
    try {
      const reads = hammerGateways([gateway], { apiKey: ADMIN_API_KEY, concurrency: 6, brokerId: 'kis' });
      await delay(2_000);
      const start = await sampleWire(admin, 'kis');
      await delay(10_000);
      const end = await sampleWire(admin, 'kis');
      const result = await reads.stop();
      await delay(1_500);
      const final = await sampleWire(admin, 'kis');
      const used = utilisation(start, end, 2);
      console.log(
        `npm start (local ledger), busy gateway, idle worker, kis-paper 2/s: ${(used * 100).toFixed(1)} % of 2/s over ` +
          `${((end.at - start.at) / 1000).toFixed(1)} s (${end.admitted - start.admitted} requests), ${final.violations} violations; ` +
          `reads 200: ${result.ok}, 429: ${result.rateLimited}, other: ${result.other}`,
      );
      expect(final.violations).toBe(0);
      expect(used).toBeGreaterThanOrEqual(0.9);
    } finally {
      admin.close();
    }
  });
});
