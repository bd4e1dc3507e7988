import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { findRepositoryRoot, getFreePort, restSimulatorMainPath } from '@qts/test-support';

// The built command line: READY line, exit codes, signals, and a token over real HTTP. Every process is
// killed in afterEach.

const root = findRepositoryRoot();
const main = restSimulatorMainPath(root);
const children: ChildProcess[] = [];
const READY = 'REST_BROKER_SIMULATOR_READY ';

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
    const line = simulator.stdout.find((text) => text.startsWith(READY));
    if (line !== undefined) {
      return JSON.parse(line.slice(READY.length));
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

describe('rest-broker-simulator command line (built)', () => {
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('prints one READY line on stdout, serves a token over HTTP, then stops cleanly on SIGTERM', async () => {
    const simulator = run(['--broker', 'kis:KIS:0', '--broker', 'kiwoom:KIWOOM:0', '--admin-port', '0', '--token-ttl-ms', '5000']);

    const ports = await ready(simulator);
    const token = await fetch(`http://127.0.0.1:${ports.brokers['kis']}/oauth2/tokenP`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', appkey: 'PSint-key', appsecret: 'int-secret' }),
    });

    expect(Object.keys(ports.brokers)).toEqual(['kis', 'kiwoom']);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer', expires_in: 5 });
    await expect(listens(ports.admin)).resolves.toBe(true);
    simulator.child.kill('SIGTERM');
    await expect(simulator.exited).resolves.toEqual({ code: 0, signal: null });
    expect(simulator.stdout).toHaveLength(1);
    expect(simulator.stderr()).toContain('SIGTERM, shutting down');
    expect(simulator.stderr()).toContain('simulator stopped');
    await expect(listens(ports.brokers['kis'])).resolves.toBe(false);
    await expect(listens(ports.admin)).resolves.toBe(false);
  });

  it('shuts down cleanly even when SIGINT arrives twice (Ctrl-C through a wrapper)', async () => {
    const simulator = run(['--broker', 'kis:KIS:0', '--admin-port', '0']);
    await ready(simulator);

    simulator.child.kill('SIGINT');
    simulator.child.kill('SIGINT');

    await expect(simulator.exited).resolves.toEqual({ code: 0, signal: null });
  });

  it('keeps a chosen port and refuses connections on it under --refuse', async () => {
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
    expect(simulator.stdout.join('\n')).toContain('rest-broker-simulator: KIS- and Kiwoom-shaped REST APIs');
  });

  it('exits 2 naming the flag for a bad flag, printing nothing on stdout', async () => {
    const badFlag = run(['--broker', 'kis:KIS:99999']);
    const unknown = run(['--jts']);

    await expect(badFlag.exited).resolves.toEqual({ code: 2, signal: null });
    await expect(unknown.exited).resolves.toEqual({ code: 2, signal: null });
    expect(badFlag.stderr()).toContain('--broker kis:KIS:99999: port must be an integer between 0 and 65535');
    expect(unknown.stderr()).toContain("Unknown option '--jts'");
    expect([...badFlag.stdout, ...unknown.stdout]).toEqual([]);
  });

  it('exits 1 naming the port when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const simulator = run(['--broker', 'kis:KIS:0', '--admin-port', String(taken)]);

      await expect(simulator.exited).resolves.toEqual({ code: 1, signal: null });
      expect(simulator.stderr()).toContain(`admin API: cannot listen on 127.0.0.1:${taken} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
