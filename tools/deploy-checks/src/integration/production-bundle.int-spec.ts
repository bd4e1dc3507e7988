import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  findRepositoryRoot,
  startPostgres,
  startRedisServer,
  type PostgresServer,
  type RedisServerProcess,
} from '@qts/test-support';
import { Client } from 'pg';
import { launchContainer, waitForProbe, type LaunchedContainer } from '../../test/container-launcher';
import { runProbe } from '../../test/kubelet-probe';
import { listTree, prepareProductionRuntime, type ProductionRuntime } from '../../test/production-runtime';
import { brokerEndpoints, renderedBrokersFile, withBrokerEndpoints } from '../lib/brokers-config';
import { bundleExternals } from '../lib/bundle-externals';
import { parseDockerfile } from '../lib/dockerfile';
import { imageUser } from '../lib/dockerfile-contract';
import { workloadsOf, type KubernetesObject } from '../lib/kubernetes-objects';
import { PLATFORM_IMAGES, type PlatformImage } from '../lib/platform-images';
import { describeProbe, probeTargets } from '../lib/probe-targets';
import { OVERLAYS, renderOverlay } from '../lib/render-overlay';

const root = findRepositoryRoot(__dirname);
// Rendered when the suite is collected: one test per probe of the manifests.
const overlays = { prod: renderOverlay(OVERLAYS.prod, root), dev: renderOverlay(OVERLAYS.dev, root) };
/** Where each program's container comes from: the apps as prod runs them, the simulator from dev (its only home). */
const LAUNCHES = [
  { overlay: 'dev', workload: 'jts-simulator' },
  { overlay: 'prod', workload: 'gateway-api' },
  { overlay: 'prod', workload: 'execution-worker' },
] as const;

/**
 * Values for the variables the manifests take from Secrets, as prod gives them: one PostgreSQL database for both apps
 * (the Secret's gateway-url and worker-url may name the same database: their tables differ) and Redis for the
 * shared rate-limit ledger (the base sets RATE_LIMIT_MODE=redis), both real servers on loopback.
 */
const secretValues: Record<string, string | undefined> = {
  ADMIN_API_KEY: `deploy-checks-${randomBytes(16).toString('hex')}`,
};
/** How long a pod may take to become ready once it listens (the brokers' first health check). */
const READINESS_WAIT_MS = 30_000;
/** Packages of the development toolchain: none may reach an image. */
const DEVELOPMENT_PACKAGES = [
  'nx',
  '@nx/webpack',
  'webpack',
  'jest',
  'typescript',
  'ts-node',
  '@swc/core',
  'kubernetes-models',
  'eslint',
];

let runtime: ProductionRuntime | undefined;
let postgres: PostgresServer | undefined;
let redis: RedisServerProcess | undefined;
const launched = new Map<string, LaunchedContainer>();
const treesBefore = new Map<string, string[]>();

function objectsOf(overlay: 'prod' | 'dev'): KubernetesObject[] {
  return overlays[overlay];
}

function running(workload: string): LaunchedContainer {
  const container = launched.get(workload);
  if (container === undefined) throw new Error(`${workload} was not started (see beforeAll)`);
  return container;
}

/** `node -e <script>` in an image's /app folder, with nothing from the test process's environment but PATH. */
function nodeIn(directory: string, script: string): string {
  return execFileSync(process.execPath, ['-e', script], {
    cwd: directory,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NODE_ENV: 'production' },
    timeout: 60_000,
  });
}

beforeAll(async () => {
  const user = imageUser(
    parseDockerfile(readFileSync(path.join(root, PLATFORM_IMAGES[0].dockerfile), 'utf8')),
  );
  const started = Date.now();
  [postgres, redis] = await Promise.all([startPostgres(), startRedisServer()]);
  secretValues['DATABASE_URL'] = postgres.url;
  secretValues['REDIS_URL'] = redis.url;
  runtime = await prepareProductionRuntime(root, PLATFORM_IMAGES, user);
  const native = runtime.install.nativeModules.map((module) => `${module.name}@${module.version} from ${module.from}`);
  console.log(
    `production dependencies: ${runtime.install.cached ? 'reused' : 'installed'} in ${runtime.install.milliseconds} ms (${runtime.install.directory}; install scripts: ${native.join(', ')}); bundles in ${runtime.root}`,
  );
  for (const image of PLATFORM_IMAGES) treesBefore.set(image.project, listTree(runtime.appDirectory(image)));

  const devBrokers = renderedBrokersFile(overlays.dev);
  const simulator = await launchContainer({
    objects: overlays.dev,
    workloadName: 'jts-simulator',
    runtime,
    workspaceRoot: root,
    secretValues,
    // Each broker on the loopback port standing in for its container port.
    brokersFile: (ports) =>
      withBrokerEndpoints(
        devBrokers,
        '127.0.0.1',
        Object.fromEntries(
          brokerEndpoints(devBrokers).map((broker) => [broker.id, ports.get(broker.port) ?? 0]),
        ),
      ),
  });
  launched.set('jts-simulator', simulator);
  const simulatedBrokers = Object.fromEntries(
    brokerEndpoints(devBrokers).map((broker) => [broker.id, simulator.localPort(broker.port)]),
  );

  for (const { overlay, workload } of LAUNCHES.filter((launch) => launch.workload !== 'jts-simulator')) {
    const objects = objectsOf(overlay);
    // The environment's own brokers.yaml, each broker served by the simulator.
    const brokers = withBrokerEndpoints(renderedBrokersFile(objects), '127.0.0.1', simulatedBrokers);
    launched.set(
      workload,
      await launchContainer({
        objects,
        workloadName: workload,
        runtime,
        workspaceRoot: root,
        secretValues,
        brokersFile: () => brokers,
      }),
    );
  }
  console.log(
    `bundle: install and start of the simulator, the gateway and the worker took ${Date.now() - started} ms`,
  );
}, 20 * 60_000);

afterAll(async () => {
  for (const container of launched.values()) await container.process.stop(5_000);
  runtime?.remove();
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

describe('the production bundle the images copy', () => {
  it('resolves every package the three bundles require from the production install alone', () => {
    const missing = Object.fromEntries(
      PLATFORM_IMAGES.map((image: PlatformImage) => {
        const directory = runtime?.appDirectory(image) ?? '';
        const requests = bundleExternals(readFileSync(path.join(directory, 'main.js'), 'utf8'));
        expect(requests.length).toBeGreaterThan(5);
        const script = `const missing = []; for (const r of ${JSON.stringify(requests)}) { try { require.resolve(r); } catch { missing.push(r); } } process.stdout.write(JSON.stringify(missing));`;
        return [image.project, JSON.parse(nodeIn(directory, script)) as string[]];
      }),
    );
    expect(missing).toEqual({ 'gateway-api': [], 'execution-worker': [], 'jts-simulator': [] });
  });

  it('holds no package of the development toolchain', () => {
    const directory = running('gateway-api').directory;
    const script = `process.stdout.write(JSON.stringify(${JSON.stringify(DEVELOPMENT_PACKAGES)}.filter((p) => { try { require.resolve(p); return true; } catch { return false; } })))`;
    expect(JSON.parse(nodeIn(directory, script))).toEqual([]);
  });

  it('lets typeorm load the drivers it requires at run time: PostgreSQL (pg) and SQLite (native better-sqlite3)', () => {
    const script = [
      "const { DataSource } = require('typeorm');",
      "new DataSource({ type: 'postgres', url: 'postgres://qts:x@127.0.0.1:1/qts' });",
      "new DataSource({ type: 'better-sqlite3', database: ':memory:' });",
      "const Database = require('better-sqlite3');",
      "process.stdout.write(new Database(':memory:').prepare('select 41 + 1 as answer').get().answer.toString());",
    ].join('\n');
    expect(nodeIn(running('execution-worker').directory, script)).toBe('42');
  });
  it('serves the gateway`s pages from the bundle and the production install: dashboard, OpenAPI UI and document', async () => {
    const gateway = running('gateway-api');
    const http = gateway.container.ports?.find((port) => port.name === 'http')?.containerPort ?? 0;
    const statuses: Record<string, number> = {};
    for (const page of ['/dashboard', '/docs', '/docs/swagger-ui.css', '/docs-json']) {
      statuses[page] = (await fetch(`http://127.0.0.1:${gateway.localPort(http)}${page}`)).status;
    }
    expect(statuses).toEqual({
      '/dashboard': 200,
      '/docs': 200,
      '/docs/swagger-ui.css': 200,
      '/docs-json': 200,
    });
  });
});

describe('probe contract: the probes of the rendered manifests, against the apps started from the bundle', () => {
  const cases = LAUNCHES.flatMap(({ overlay, workload }) => {
    const found = workloadsOf(objectsOf(overlay)).find((candidate) => candidate.name === workload);
    const container = found?.podSpec.containers[0];
    if (container === undefined) throw new Error(`deploy/overlays/${overlay} has no Deployment ${workload}`);
    return probeTargets(container).targets.map((target) => ({
      title: `${overlay} ${workload} ${describeProbe(target)}`,
      workload,
      target,
    }));
  });

  it('covers a startup, liveness and readiness probe of every program, HTTP and native gRPC among them', () => {
    expect(cases.map((probeCase) => `${probeCase.workload} ${probeCase.target.kind}`).sort()).toEqual(
      LAUNCHES.flatMap(({ workload }) =>
        ['livenessProbe', 'readinessProbe', 'startupProbe'].map((kind) => `${workload} ${kind}`),
      ).sort(),
    );
    expect(new Set(cases.map((probeCase) => probeCase.target.type))).toEqual(new Set(['http', 'grpc']));
  });

  it.each(cases.map((probeCase) => [probeCase.title, probeCase] as const))(
    '%s passes',
    async (_title, probeCase) => {
      const container = running(probeCase.workload);
      const { target } = probeCase;
      if (target.type === 'exec') throw new Error('exec probes cannot be reproduced outside the container');
      const port = container.localPort(target.port.containerPort);
      // Readiness may wait for the brokers' first health check, as a pod stays unready until then; the others answer
      // as soon as the program listens.
      const outcome =
        target.kind === 'readinessProbe'
          ? await waitForProbe(
              container.process,
              target,
              new Map([[target.port.containerPort, port]]),
              READINESS_WAIT_MS,
            ).then(
              (passed) => passed,
              (error: Error) => ({ passed: false, detail: error.message }),
            )
          : await runProbe(target, port);
      expect(outcome.passed ? 'passed' : outcome.detail).toBe('passed');
    },
  );

  it('serves /metrics where the pod annotations send Prometheus, with every metric docs/operations.md alerts on', async () => {
    const alerted = alertedMetrics(readFileSync(path.join(root, 'docs/operations.md'), 'utf8'));
    expect(alerted.length).toBeGreaterThan(5);
    const exported = new Map<string, string>();
    for (const workload of ['gateway-api', 'execution-worker']) {
      const container = running(workload);
      const annotations = container.workload.template.metadata?.annotations ?? {};
      expect(annotations['prometheus.io/scrape']).toBe('true');
      const response = await fetch(
        `http://127.0.0.1:${container.localPort(Number(annotations['prometheus.io/port']))}${annotations['prometheus.io/path']}`,
      );
      expect(response.status).toBe(200);
      exported.set(workload, await response.text());
    }
    const missing = alerted.filter((metric) => {
      const text =
        exported.get(metric.startsWith('execution_worker_') ? 'execution-worker' : 'gateway-api') ?? '';
      return !text.includes(`# HELP ${metric.replace(/_(bucket|sum|count)$/, '')} `);
    });
    expect(missing).toEqual([]);
  });
});

describe('shutdown', () => {
  it('each program stops by itself on SIGTERM within its terminationGracePeriodSeconds, having written only to its writable volumes', async () => {
    const outcomes: Record<string, unknown> = {};
    // The apps first, then the broker they were connected to.
    for (const workload of ['gateway-api', 'execution-worker', 'jts-simulator']) {
      const container = running(workload);
      const graceMs = (container.workload.podSpec.terminationGracePeriodSeconds ?? 30) * 1_000;
      const exit = await container.process.stop(graceMs);
      const writable = container.image.writablePaths
        .filter((candidate) => candidate.startsWith('/app/'))
        .map((candidate) => candidate.slice('/app/'.length));
      const before = new Set(treesBefore.get(container.image.project));
      const written = listTree(container.directory).filter(
        (entry) =>
          !before.has(entry) &&
          !writable.some((folder) => entry === folder || entry.startsWith(`${folder}/`)),
      );
      outcomes[workload] = {
        stoppedBySigterm: !exit.killed && (exit.code === 0 || exit.signal === 'SIGTERM'),
        writtenOutsideVolumes: written,
        ...(exit.killed || (exit.code !== 0 && exit.signal !== 'SIGTERM')
          ? { exit, logs: container.process.logs().slice(-2_000) }
          : {}),
      };
    }
    expect(outcomes).toEqual({
      'gateway-api': { stoppedBySigterm: true, writtenOutsideVolumes: [] },
      'execution-worker': { stoppedBySigterm: true, writtenOutsideVolumes: [] },
      'jts-simulator': { stoppedBySigterm: true, writtenOutsideVolumes: [] },
    });
    // Both apps migrated the one PostgreSQL database of the Secret, each its own tables (the gateway's first: it
    // started first).
    const client = new Client({ connectionString: postgres?.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE '%migrations' ORDER BY table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(['migrations', 'worker_migrations']);
    } finally {
      await client.end();
    }
  });
});

/** The platform's metric names (gateway_*, execution_worker_*) in the rules of the "Alerts" section of docs/operations.md. */
function alertedMetrics(markdown: string): string[] {
  const section = /^## Alerts\b[\s\S]*?(?=^## |(?![\s\S]))/m.exec(markdown)?.[0] ?? '';
  return [
    ...new Set(
      [...section.matchAll(/\b((?:gateway|execution_worker)_[a-z0-9_]+)\b/g)].map((match) => match[1]),
    ),
  ].sort();
}
