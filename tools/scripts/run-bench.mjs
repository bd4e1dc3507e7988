#!/usr/bin/env node
// `npm run bench`: runs tools/bench (TypeScript, through @swc-node/register) and writes docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/bench/src/main.ts'], {
  cwd: root,
  env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
