#!/usr/bin/env node
// `npm start`: the embedded default. Builds the apps, then runs them side by side on this machine with the
// default configuration (SQLite under data/, in-memory rate limiter), prints their URLs, and stops them all
// on Ctrl-C / SIGTERM or as soon as one of them dies.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = {
  ...process.env,
  GATEWAY_HTTP_PORT: process.env.GATEWAY_HTTP_PORT ?? '3000',
  WORKER_HTTP_PORT: process.env.WORKER_HTTP_PORT ?? '3001',
  NX_DAEMON: 'false',
};

const services = [
  {
    name: 'gateway-api',
    main: 'dist/apps/gateway-api/main.js',
    urls: [`http://127.0.0.1:${env.GATEWAY_HTTP_PORT}/health/live`],
  },
  {
    name: 'execution-worker',
    main: 'dist/apps/execution-worker/main.js',
    urls: [`http://127.0.0.1:${env.WORKER_HTTP_PORT}/health/live`],
  },
];

mkdirSync(join(root, 'data'), { recursive: true });

console.log('Building', services.map((s) => s.name).join(', '), '...');
const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '-p', ...services.map((s) => s.name), '--outputStyle=static'],
  { cwd: root, env, stdio: 'inherit' },
);
if (build.status !== 0) {
  console.error('Build failed; nothing started.');
  process.exit(build.status ?? 1);
}

const children = new Map();
let stopping = false;

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const forceTimer = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10_000);
  forceTimer.unref();
  const waitForExit = setInterval(() => {
    if ([...children.values()].every((c) => c.exitCode !== null || c.signalCode !== null)) {
      clearInterval(waitForExit);
      process.exit(exitCode);
    }
  }, 100);
}

for (const service of services) {
  const child = spawn(process.execPath, [join(root, service.main)], { cwd: root, env, stdio: 'inherit' });
  children.set(service.name, child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${service.name} exited (${signal ?? code}); stopping the others.`);
      stopAll(code === 0 ? 1 : code ?? 1);
    }
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

setTimeout(() => {
  if (stopping) return;
  console.log('\nEmbedded default is running:');
  for (const service of services) console.log(`  ${service.name.padEnd(18)} ${service.urls.join('  ')}`);
  console.log('Press Ctrl-C to stop.\n');
}, 3000);
