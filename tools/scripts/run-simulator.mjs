#!/usr/bin/env node
// `npm run simulator`: the JTS simulator alone. Builds tools/jts-simulator with Nx (a cache hit when nothing
// changed), then runs dist/tools/jts-simulator/main.js with this script's arguments, forwarding SIGINT and
// SIGTERM and exiting with the simulator's status. Build output goes to stderr: stdout carries only the
// simulator's READY line, for scripts that wait on it.
//   node tools/scripts/run-simulator.mjs --help
//   node tools/scripts/run-simulator.mjs --broker kis:KIS:50061:kis-paper --latency-ms 200
// Set SIMULATOR_SKIP_BUILD=1 to run an existing build as it is.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'tools', 'jts-simulator', 'main.js');

if (process.env.SIMULATOR_SKIP_BUILD !== '1' || !existsSync(main)) {
  const build = spawnSync('npx', ['nx', 'run', 'jts-simulator:build', '--outputStyle=static'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0 || !existsSync(main)) {
    console.error('jts-simulator build failed; nothing started.');
    process.exit(build.status || 1);
  }
}

const child = spawn(process.execPath, [main, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 1));
});
