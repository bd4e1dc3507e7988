import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { findRepositoryRoot } from '@qts/test-support';

// `npm run simulator` (tools/scripts/run-simulator.mjs) with the builds of both simulators (the integration
// target builds them): the JTS simulator and the REST simulator side by side, stopped together.

const root = findRepositoryRoot();
const script = path.join(root, 'tools', 'scripts', 'run-simulator.mjs');
const children: ChildProcess[] = [];

function run(args: string[]) {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...process.env, SIMULATOR_SKIP_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  const stdout: string[] = [];
  let stderr = '';
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => stdout.push(line));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout, stderr: () => stderr, exited };
}

async function readyLines(simulators: ReturnType<typeof run>, prefixes: string[]): Promise<Record<string, { admin: number; brokers: Record<string, number> }>> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = prefixes.map((prefix) => simulators.stdout.find((line) => line.startsWith(`${prefix} `)));
    if (found.every((line) => line !== undefined)) {
      return Object.fromEntries(found.map((line, i) => [prefixes[i], JSON.parse((line as string).slice(prefixes[i].length + 1))]));
    }
    if (simulators.child.exitCode !== null) throw new Error(`exited before READY: ${simulators.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no READY lines within 30 s: ${simulators.stderr()}`);
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run simulator', () => {
  afterEach(() => {
    for (const child of children.splice(0)) {
      // The whole process group: the script and both simulators.
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }
  });

  it('runs the REST simulator beside the JTS simulator and stops both on SIGTERM', async () => {
    const simulators = run(['--broker', 'kis:KIS:0', '--admin-port', '0', '--rest', '--broker', 'kis:KIS:0', '--broker', 'kiwoom:KIWOOM:0', '--admin-port', '0']);

    const ready = await readyLines(simulators, ['JTS_SIMULATOR_READY', 'REST_BROKER_SIMULATOR_READY']);
    const rest = ready['REST_BROKER_SIMULATOR_READY'];
    const jts = ready['JTS_SIMULATOR_READY'];

    expect(Object.keys(rest.brokers)).toEqual(['kis', 'kiwoom']);
    expect(Object.keys(jts.brokers)).toEqual(['kis']);
    await expect(listens(rest.brokers['kiwoom'])).resolves.toBe(true);
    await expect(listens(jts.brokers['kis'])).resolves.toBe(true);
    simulators.child.kill('SIGTERM');
    await expect(simulators.exited).resolves.toEqual({ code: 0, signal: null });
    await expect(listens(rest.admin)).resolves.toBe(false);
    await expect(listens(jts.admin)).resolves.toBe(false);
  });

  it('runs the JTS simulator alone with --no-rest', async () => {
    const simulators = run(['--no-rest', '--broker', 'kis:KIS:0', '--admin-port', '0']);

    const ready = await readyLines(simulators, ['JTS_SIMULATOR_READY']);
    simulators.child.kill('SIGINT');

    await expect(simulators.exited).resolves.toEqual({ code: 0, signal: null });
    expect(simulators.stdout.filter((line) => line.startsWith('REST_BROKER_SIMULATOR_READY'))).toEqual([]);
    await expect(listens(ready['JTS_SIMULATOR_READY'].admin)).resolves.toBe(false);
  });

  it('stops the JTS simulator and exits 2 when the REST simulator refuses a flag', async () => {
    const simulators = run(['--broker', 'kis:KIS:0', '--admin-port', '0', '--rest', '--broker', 'bad']);

    await expect(simulators.exited).resolves.toEqual({ code: 2, signal: null });
    expect(simulators.stderr()).toContain('rest-broker-simulator: --broker must be id:TYPE:port[:preset]');
  });
});
