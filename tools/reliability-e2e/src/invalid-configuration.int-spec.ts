import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepositoryRoot } from '@qts/test-support';
import { stringify } from 'yaml';

const root = findRepositoryRoot(__dirname);
const folder = mkdtempSync(join(tmpdir(), 'reliability-config-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function brokersFile(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

const goodBroker = {
  id: 'kis',
  type: 'KIS',
  grpc: { host: '127.0.0.1', port: 50061 },
  rateLimit: { preset: 'kis-real' },
  accounts: [{ id: '50012345-01', name: 'paper', type: 'PAPER', default: true }],
};

/** Bad configurations, and what the message must name. */
const CASES: Array<{ name: string; env: () => Record<string, string>; names: string[] }> = [
  { name: 'a port that is no number', env: () => ({ GATEWAY_HTTP_PORT: 'eighty', WORKER_HTTP_PORT: 'eighty' }), names: ['_HTTP_PORT'] },
  { name: 'an unknown log level', env: () => ({ LOG_LEVEL: 'loud' }), names: ['LOG_LEVEL'] },
  { name: 'a keep-alive timeout under 1 s', env: () => ({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '10' }), names: ['HTTP_KEEP_ALIVE_TIMEOUT_MS'] },
  { name: 'a missing brokers file', env: () => ({ BROKERS_CONFIG: join(folder, 'missing.yaml') }), names: ['missing.yaml'] },
  { name: 'a brokers file that is no YAML', env: () => ({ BROKERS_CONFIG: brokersFile('broken.yaml', 'brokers: [ {id: kis') }), names: ['broken.yaml'] },
  {
    name: 'a broker port out of range',
    env: () => ({ BROKERS_CONFIG: brokersFile('port.yaml', { brokers: [{ ...goodBroker, grpc: { host: '127.0.0.1', port: 70_000 } }] }) }),
    names: ['port must be an integer between 1 and 65535'],
  },
  {
    name: 'an unknown rate-limit preset',
    env: () => ({ BROKERS_CONFIG: brokersFile('preset.yaml', { brokers: [{ ...goodBroker, rateLimit: { preset: 'fastest' } }] }) }),
    names: ['preset'],
  },
];

/**
 * The built apps started with a bad configuration: each stops before it opens a port or touches a database, with
 * exit code 2 and a message naming what is wrong, no stack trace.
 */
describe.each(['gateway-api', 'execution-worker'])('reliability: %s refuses an invalid configuration', (app) => {
  it.each(CASES)('$name: exit code 2, the message names it', ({ env, names }) => {
    const result = spawnSync(process.execPath, [join(root, 'dist', 'apps', app, 'main.js')], {
      cwd: folder,
      env: { PATH: process.env['PATH'], NODE_ENV: 'production', TZ: 'UTC', DATABASE_URL: `sqlite:${join(folder, `${app}.sqlite`)}`, ...env() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    console.log(`reliability: ${app} ${JSON.stringify(env())} -> exit ${result.status}: ${result.stderr.trim().split('\n').join(' | ')}`);
    expect(result.status).toBe(2);
    for (const name of names) expect(result.stderr).toContain(name);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
