#!/usr/bin/env node
// `npm run simulator`: the JTS simulator and, beside it, the REST broker simulator (KIS- and Kiwoom-shaped
// REST APIs). Builds both with Nx (cache hits when nothing changed), runs dist/tools/jts-simulator/main.js
// and dist/tools/rest-broker-simulator/main.js, forwards SIGINT and SIGTERM to both, and stops the other
// when one exits (exiting with the first failure's status). Build output goes to stderr: stdout carries
// only the simulators' READY lines (JTS_SIMULATOR_READY ..., REST_BROKER_SIMULATOR_READY ...).
//   node tools/scripts/run-simulator.mjs --help
//   node tools/scripts/run-simulator.mjs --broker kis:KIS:50061:kis-paper --latency-ms 200
//   node tools/scripts/run-simulator.mjs --rest --broker kis:KIS:0 --token-ttl-ms 60000
//   node tools/scripts/run-simulator.mjs --no-rest
// Arguments before --rest go to the JTS simulator, those after it to the REST simulator. --no-rest runs the
// JTS simulator alone. Set SIMULATOR_SKIP_BUILD=1 to run existing builds as they are.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SIMULATORS = {
  jts: { project: 'jts-simulator', main: join(root, 'dist', 'tools', 'jts-simulator', 'main.js') },
  rest: { project: 'rest-broker-simulator', main: join(root, 'dist', 'tools', 'rest-broker-simulator', 'main.js') },
};

const argv = process.argv.slice(2);
const restAt = argv.indexOf('--rest');
const jtsArgs = (restAt < 0 ? argv : argv.slice(0, restAt)).filter((arg) => arg !== '--no-rest');
const restArgs = restAt < 0 ? [] : argv.slice(restAt + 1);
const withRest = !argv.slice(0, restAt < 0 ? argv.length : restAt).includes('--no-rest');
const wanted = withRest ? [SIMULATORS.jts, SIMULATORS.rest] : [SIMULATORS.jts];

if (process.env.SIMULATOR_SKIP_BUILD !== '1' || wanted.some((simulator) => !existsSync(simulator.main))) {
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', ...wanted.map((simulator) => simulator.project), '--outputStyle=static'],
    { cwd: root, env: { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false' }, stdio: ['ignore', 2, 2] },
  );
  if (build.status !== 0 || wanted.some((simulator) => !existsSync(simulator.main))) {
    console.error('simulator build failed; nothing started.');
    process.exit(build.status || 1);
  }
}

if (jtsArgs.includes('--help') || jtsArgs.includes('-h') || restArgs.includes('--help') || restArgs.includes('-h')) {
  process.stdout.write(
    'npm run simulator -- [JTS simulator flags] [--rest REST simulator flags] [--no-rest]\n\n' +
      'Runs the JTS simulator and the REST broker simulator side by side.\n\n',
  );
  for (const [simulator, args] of [
    [SIMULATORS.jts, ['--help']],
    ...(withRest ? [[SIMULATORS.rest, ['--help']]] : []),
  ]) {
    spawnSync(process.execPath, [simulator.main, ...args], { cwd: root, stdio: 'inherit' });
    process.stdout.write('\n');
  }
  process.exit(0);
}

const children = [
  spawn(process.execPath, [SIMULATORS.jts.main, ...jtsArgs], { cwd: root, stdio: 'inherit' }),
  ...(withRest ? [spawn(process.execPath, [SIMULATORS.rest.main, ...restArgs], { cwd: root, stdio: 'inherit' })] : []),
];

const running = (child) => child.exitCode === null && child.signalCode === null;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) {
      if (running(child)) child.kill(signal);
    }
  });
}

let status;
for (const child of children) {
  child.on('exit', (code, signal) => {
    const own = code ?? 128 + (constants.signals[signal] ?? 1);
    // The first simulator to stop decides, unless a later one failed where it did not.
    if (status === undefined || (status === 0 && own !== 0)) status = own;
    for (const other of children) {
      if (other !== child && running(other)) other.kill('SIGTERM');
    }
    if (children.every((candidate) => !running(candidate))) process.exit(status);
  });
}
