#!/usr/bin/env node
// `npm start`: the embedded default. Builds the simulators and the apps, then runs them side by side on this
// machine: the JTS simulator serving the JTS brokers of config/brokers.yaml, the REST broker simulator serving its
// REST brokers whose baseUrl is on this host (KIS- and Kiwoom-shaped APIs), the gateway and the execution worker
// (SQLite under data/; one rate-limit budget per broker, and one REST access token per app key, shared by both
// through data/). Prints the URLs; stops everything on Ctrl-C / SIGTERM or as soon as one of them dies.
// START_SKIP_BUILD=1 runs existing builds as they are (scripts and tests that built them already);
// QTS_DATA_DIR moves every file it keeps (default data/); SIMULATOR_ADMIN_PORT and REST_SIMULATOR_ADMIN_PORT move
// the simulators' admin ports. The REST brokers of config/brokers.yaml name their credentials REST_SIM_*: this
// script sets throwaway values for them (the simulator accepts any key); real keys never belong here.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = process.env.QTS_DATA_DIR ?? join(root, 'data');
const generatedAdminKey = process.env.ADMIN_API_KEY ? undefined : `qts_admin_${randomBytes(24).toString('hex')}`;
const env = {
  ...process.env,
  BROKERS_CONFIG: process.env.BROKERS_CONFIG ?? join(root, 'config', 'brokers.yaml'),
  BIND_HOST: process.env.BIND_HOST ?? '127.0.0.1',
  GATEWAY_HTTP_PORT: process.env.GATEWAY_HTTP_PORT ?? '3000',
  GATEWAY_GRPC_PORT: process.env.GATEWAY_GRPC_PORT ?? '50051',
  WORKER_HTTP_PORT: process.env.WORKER_HTTP_PORT ?? '3001',
  WORKER_GRPC_PORT: process.env.WORKER_GRPC_PORT ?? '50052',
  ADMIN_API_KEY: process.env.ADMIN_API_KEY ?? generatedAdminKey,
  // Gateway and worker run on this one host: they share each broker's budget through one local ledger file.
  RATE_LIMIT_MODE: process.env.RATE_LIMIT_MODE ?? 'local',
  RATE_LIMIT_LEDGER_PATH: process.env.RATE_LIMIT_LEDGER_PATH ?? join(dataDir, 'rate-limit.sqlite'),
  // Throwaway credentials of the REST simulator's brokers (config/brokers.yaml names these variables).
  REST_SIM_KIS_APP_KEY: process.env.REST_SIM_KIS_APP_KEY ?? 'PSsimulator-kis-app-key',
  REST_SIM_KIS_APP_SECRET: process.env.REST_SIM_KIS_APP_SECRET ?? 'simulator-kis-app-secret',
  REST_SIM_KIWOOM_APP_KEY: process.env.REST_SIM_KIWOOM_APP_KEY ?? 'simulator-kiwoom-app-key',
  REST_SIM_KIWOOM_APP_SECRET: process.env.REST_SIM_KIWOOM_APP_SECRET ?? 'simulator-kiwoom-app-secret',
  NX_DAEMON: 'false',
};
const http = (port, path) => `http://127.0.0.1:${port}${path}`;

const simulator = {
  name: 'jts-simulator',
  main: 'dist/tools/jts-simulator/main.js',
  args: ['--config', env.BROKERS_CONFIG, ...(process.env.SIMULATOR_ADMIN_PORT ? ['--admin-port', process.env.SIMULATOR_ADMIN_PORT] : [])],
  readyPrefix: 'JTS_SIMULATOR_READY ',
};

/**
 * The REST brokers of the brokers file that the REST simulator should serve: those whose baseUrl is http on this
 * host, each on its port, with the preset of its server (KIS real or paper, Kiwoom) and its account.
 */
function restSimulatorBrokers(file) {
  let document;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return []; // The apps report what is wrong with the file.
  }
  const flags = [];
  for (const entry of Array.isArray(document?.brokers) ? document.brokers : []) {
    const transport = entry?.transport ?? (entry?.rest !== undefined && entry?.grpc === undefined ? 'rest' : 'jts');
    if (transport !== 'rest' || typeof entry.rest?.baseUrl !== 'string' || entry.mock === true) continue;
    const url = URL.canParse(entry.rest.baseUrl) ? new URL(entry.rest.baseUrl) : undefined;
    if (url === undefined || url.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(url.hostname) || url.port === '') continue;
    const preset = entry.type === 'KIWOOM' ? 'kiwoom' : entry.rest.environment === 'real' ? 'kis-real' : 'kis-paper';
    flags.push('--broker', `${entry.id}:${entry.type}:${url.port}:${preset}`);
    for (const account of Array.isArray(entry.accounts) ? entry.accounts : []) {
      flags.push('--account', `${entry.id}:${account.id}${account.type === 'REAL' || account.type === 'PAPER' ? `:${account.type}` : ''}`);
    }
  }
  return flags;
}

const restBrokerFlags = restSimulatorBrokers(env.BROKERS_CONFIG);
const restSimulator =
  restBrokerFlags.length === 0
    ? undefined
    : {
        name: 'rest-broker-simulator',
        main: 'dist/tools/rest-broker-simulator/main.js',
        args: [...restBrokerFlags, '--admin-port', process.env.REST_SIMULATOR_ADMIN_PORT ?? '50070', '--log-level', 'warn'],
        readyPrefix: 'REST_BROKER_SIMULATOR_READY ',
      };
const simulators = restSimulator === undefined ? [simulator] : [simulator, restSimulator];
const apps = [
  {
    name: 'gateway-api',
    main: 'dist/apps/gateway-api/main.js',
    env: { DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${join(dataDir, 'gateway.sqlite')}` },
    urls: [
      `REST      ${http(env.GATEWAY_HTTP_PORT, '/api/v1/brokers')}`,
      `OpenAPI   ${http(env.GATEWAY_HTTP_PORT, '/docs')}`,
      `dashboard ${http(env.GATEWAY_HTTP_PORT, '/dashboard')}`,
      `health    ${http(env.GATEWAY_HTTP_PORT, '/health/ready')}`,
      `metrics   ${http(env.GATEWAY_HTTP_PORT, '/metrics')}`,
      `gRPC      127.0.0.1:${env.GATEWAY_GRPC_PORT} (qts.gateway.v1.BrokerGatewayService)`,
    ],
  },
  {
    name: 'execution-worker',
    main: 'dist/apps/execution-worker/main.js',
    env: { DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${join(dataDir, 'worker.sqlite')}` },
    urls: [
      `gRPC      127.0.0.1:${env.WORKER_GRPC_PORT} (qts.execution.v1.ExecutionService)`,
      `health    ${http(env.WORKER_HTTP_PORT, '/health/ready')}`,
      `metrics   ${http(env.WORKER_HTTP_PORT, '/metrics')}`,
    ],
  },
];

mkdirSync(dataDir, { recursive: true });

const projects = [simulator, restSimulator, ...apps].filter((service) => service !== undefined).map((s) => s.name);
const built = [...simulators, ...apps].every((service) => existsSync(join(root, service.main)));
if (process.env.START_SKIP_BUILD === '1' && built) {
  console.log(`Using the existing builds of ${projects.join(', ')} (START_SKIP_BUILD=1).`);
} else {
  console.log(`Building ${projects.join(', ')} ...`);
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=static'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('Build failed; nothing started.');
    process.exit(build.status ?? 1);
  }
}

const children = new Map();
let stopping = false;

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  // Apps first, so that they do not report the simulator going away as an outage.
  const ordered = [...children.entries()].reverse();
  for (const [, child] of ordered) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10_000).unref();
  const poll = setInterval(() => {
    if ([...children.values()].every((c) => c.exitCode !== null || c.signalCode !== null)) {
      clearInterval(poll);
      process.exit(exitCode);
    }
  }, 100);
}

function start(service, stdio) {
  const child = spawn(process.execPath, [join(root, service.main), ...(service.args ?? [])], {
    cwd: root,
    env: { ...env, ...service.env },
    stdio,
  });
  children.set(service.name, child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${service.name} exited (${signal ?? code}); stopping the others.`);
      stopAll(code === 0 ? 1 : (code ?? 1));
    }
  });
  return child;
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

// The simulators first: the apps connect to the ports they announce on their READY lines.
const readyTimer = setTimeout(() => {
  console.error('The simulators did not become ready within 60 s.');
  stopAll(1);
}, 60_000);
const ready = new Map();
for (const service of simulators) {
  const child = start(service, ['ignore', 'pipe', 'inherit']);
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith(service.readyPrefix)) {
      console.log(line);
      return;
    }
    ready.set(service.name, JSON.parse(line.slice(service.readyPrefix.length)));
    if (ready.size === simulators.length) startApps();
  });
}

function startApps() {
  clearTimeout(readyTimer);
  for (const app of apps) start(app, 'inherit');
  setTimeout(() => {
    if (stopping) return;
    const limits = env.RATE_LIMIT_MODE === 'local' ? `one rate-limit budget per broker in ${env.RATE_LIMIT_LEDGER_PATH}` : `rate-limit mode ${env.RATE_LIMIT_MODE}`;
    console.log(`\nEmbedded default is running (SQLite under ${dataDir}, ${limits}):`);
    for (const service of simulators) {
      const announced = ready.get(service.name);
      const brokers = Object.entries(announced.brokers).map(([id, port]) => `${id} 127.0.0.1:${port}`);
      console.log(`  ${service.name.padEnd(22)} ${brokers.join(', ')}; admin 127.0.0.1:${announced.admin}`);
    }
    for (const app of apps) {
      console.log(`  ${app.name}`);
      for (const url of app.urls) console.log(`    ${url}`);
    }
    if (generatedAdminKey) {
      console.log(`\n  Admin API key (generated for this run; set ADMIN_API_KEY to choose one):\n    ${generatedAdminKey}`);
    }
    console.log('\nPress Ctrl-C to stop.\n');
  }, 4000);
}
