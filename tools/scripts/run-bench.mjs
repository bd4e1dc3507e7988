#!/usr/bin/env node
// `npm run bench`: builds the simulator, the gateway and the worker, runs tools/bench (TypeScript, through @swc-node/register) and writes docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The benchmarks run the built simulator, gateway and worker, as they run in production.
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'jts-simulator', 'gateway-api', 'execution-worker', '--outputStyle=static'], {
  cwd: root,
  env: { ...process.env, NX_DAEMON: 'false' },
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/bench/src/main.ts'], {
  cwd: root,
  env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
