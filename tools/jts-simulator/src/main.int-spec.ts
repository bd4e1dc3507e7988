import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';
import { findRepositoryRoot, getFreePort, simulatorMainPath } from '@qts/test-support';

// The built command line: READY line, exit codes, signals. Every process is killed in afterEach.

const root = findRepositoryRoot();
const main = simulatorMainPath(root);
const children: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function ready(simulator: Run): Promise<{ admin: number; brokers: Record<string, number> }> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const line = simulator.stdout.find((text) => text.startsWith('JTS_SIMULATOR_READY '));
    if (line !== undefined) {
      return JSON.parse(line.slice('JTS_SIMULATOR_READY '.length));
    }
    if (simulator.child.exitCode !== null) {
      throw new Error(`exited before READY: ${simulator.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no READY line within 20 s: ${simulator.stderr()}`);
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

describe('jts-simulator command line (built)', () => {
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('prints one READY line on stdout, then stops cleanly on SIGTERM', async () => {
    const simulator = run(['--broker', 'kis:KIS:0', '--broker', 'creon:CREON:0', '--admin-port', '0']);

    const ports = await ready(simulator);

    expect(Object.keys(ports.brokers)).toEqual(['kis', 'creon']);
    await expect(listens(ports.brokers['kis'])).resolves.toBe(true);
    simulator.child.kill('SIGTERM');
    await expect(simulator.exited).resolves.toEqual({ code: 0, signal: null });
    expect(simulator.stdout).toHaveLength(1);
    expect(simulator.stderr()).toContain('SIGTERM, shutting down');
    await expect(listens(ports.brokers['kis'])).resolves.toBe(false);
  });

  it('shuts down cleanly even when SIGINT arrives twice (Ctrl-C through a wrapper)', async () => {
    const simulator = run(['--broker', 'kis:KIS:0', '--admin-port', '0']);
    await ready(simulator);

    simulator.child.kill('SIGINT');
    simulator.child.kill('SIGINT');

    await expect(simulator.exited).resolves.toEqual({ code: 0, signal: null });
    expect(simulator.stderr()).toContain('simulator stopped');
  });

  it('starts with the broker ports refusing connections with --refuse', async () => {
    const port = await getFreePort();
    const simulator = run(['--broker', `kis:KIS:${port}`, '--admin-port', '0', '--refuse']);

    const ports = await ready(simulator);

    expect(ports.brokers['kis']).toBe(port);
    await expect(listens(port)).resolves.toBe(false);
    await expect(listens(ports.admin)).resolves.toBe(true);
  });

  it('prints the usage for --help and exits 0', async () => {
    const simulator = run(['--help']);

    await expect(simulator.exited).resolves.toEqual({ code: 0, signal: null });
    expect(simulator.stdout.join('\n')).toContain('Usage: jts-simulator [options]');
  });

  it('exits 2 naming the field for a bad flag or configuration, printing nothing on stdout', async () => {
    const badFlag = run(['--broker', 'kis:KIS:99999']);
    const badConfig = run(['--config', 'no/such/brokers.yaml']);

    await expect(badFlag.exited).resolves.toEqual({ code: 2, signal: null });
    await expect(badConfig.exited).resolves.toEqual({ code: 2, signal: null });
    expect(badFlag.stderr()).toContain('--broker kis:KIS:99999: port must be an integer between 0 and 65535');
    expect(badConfig.stderr()).toContain('no/such/brokers.yaml does not exist');
    expect([...badFlag.stdout, ...badConfig.stdout]).toEqual([]);
  });

  it('exits 1 naming the port when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const simulator = run(['--broker', 'kis:KIS:0', '--admin-port', String(taken)]);

      await expect(simulator.exited).resolves.toEqual({ code: 1, signal: null });
      expect(simulator.stderr()).toContain(`admin API: cannot listen on 127.0.0.1:${taken}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
