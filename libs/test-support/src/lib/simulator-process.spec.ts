import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulatorProcess } from './simulator-process';
import type { SimulatorProcess } from './simulator-process';

jest.setTimeout(30_000);

/**
 * A stand-in for the built simulator: listens on the admin port and on each broker port of its --config, as
 * given (0: the OS picks one), so a restart must really free and rebind them; logs the ports it was given;
 * prints the READY line with the ports it bound, and misbehaves on request.
 */
const FAKE_SIMULATOR = `
const fs = require('node:fs');
const net = require('node:net');
const args = process.argv.slice(2);
const arg = (name) => { const at = args.indexOf(name); return at < 0 ? undefined : args[at + 1]; };
const mode = arg('--fake-mode') || 'normal';
process.stderr.write('fake simulator ' + mode + '\\n');
if (mode === 'exit-early') { process.stderr.write('boom\\n'); process.exit(3); }
const given = {};
for (const match of fs.readFileSync(arg('--config'), 'utf8').matchAll(/^  - id: (\\S+)$[\\s\\S]*?port: (\\d+)$/gm)) {
  given[match[1]] = Number(match[2]);
}
process.stderr.write('given admin ' + arg('--admin-port') + ' brokers ' + JSON.stringify(given) + '\\n');
const servers = [];
const listen = (port) => new Promise((resolve, reject) => {
  const server = net.createServer((socket) => socket.end());
  servers.push(server);
  server.once('error', reject);
  server.listen(port, '127.0.0.1', () => resolve(server.address().port));
});
(async () => {
  const admin = await listen(Number(arg('--admin-port')));
  const brokers = {};
  for (const [id, port] of Object.entries(given)) brokers[id] = await listen(port);
  if (mode === 'never-ready') return;
  if (mode === 'bad-ready') { process.stdout.write('JTS_SIMULATOR_READY {oops\\n'); return; }
  process.stdout.write('starting\\n');
  process.stdout.write('JTS_SIMULATOR_READY ' + JSON.stringify({ admin, brokers }) + '\\n');
})().catch((error) => { process.stderr.write(String(error) + '\\n'); process.exit(1); });
process.on('SIGTERM', () => {
  if (mode === 'ignore-term') return;
  let open = servers.length;
  for (const server of servers) server.close(() => { open -= 1; if (open === 0) process.exit(0); });
});
`;

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startSimulatorProcess', () => {
  let dir: string;
  let fakeMain: string;
  const processes: SimulatorProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fake-simulator-'));
    fakeMain = path.join(dir, 'main.js');
    writeFileSync(fakeMain, FAKE_SIMULATOR);
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((simulator) => simulator.stop()));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(mode = 'normal', extra: Parameters<typeof startSimulatorProcess>[0] = {}): Promise<SimulatorProcess> {
    const simulator = await startSimulatorProcess({ simulatorMain: fakeMain, args: ['--fake-mode', mode], ...extra });
    processes.push(simulator);
    return simulator;
  }

  it('tells to build the simulator when its main.js is missing', async () => {
    await expect(startSimulatorProcess({ simulatorMain: path.join(dir, 'missing.js') })).rejects.toThrow(
      'run `npx nx run jts-simulator:build` first',
    );
  });

  it('lets the simulator bind port 0 and takes the ports of its READY line, written into the brokers.yaml', async () => {
    const simulator = await start('normal', {
      brokers: [
        { id: 'kis', type: 'KIS' },
        { id: 'creon', type: 'CREON' },
      ],
    });

    // Nothing was picked ahead of the bind, so no other process could take a port in between.
    expect(simulator.logs()).toContain('given admin 0 brokers {"kis":0,"creon":0}');
    expect(Object.keys(simulator.brokerPorts)).toEqual(['kis', 'creon']);
    expect(simulator.brokerPorts['kis']).toBeGreaterThan(0);
    expect(simulator.brokerPorts['kis']).not.toBe(simulator.brokerPorts['creon']);
    await expect(listens(simulator.brokerPorts['kis'])).resolves.toBe(true);
    expect(simulator.brokerAddress('creon')).toBe(`127.0.0.1:${simulator.brokerPorts['creon']}`);
    expect(() => simulator.brokerAddress('kiwoom')).toThrow("no broker 'kiwoom'");
    expect(simulator.admin.address).toBe(`127.0.0.1:${simulator.adminPort}`);
    await expect(listens(simulator.adminPort)).resolves.toBe(true);
    const config = readFileSync(simulator.configPath, 'utf8');
    expect(config).toContain(`port: ${simulator.brokerPorts['kis']}`);
    expect(config).toContain(`port: ${simulator.brokerPorts['creon']}`);
    expect(simulator.logs()).toContain('fake simulator normal');
  });

  it('serves the default KIS broker when none is given', async () => {
    const simulator = await start();

    expect(simulator.brokers).toEqual([{ id: 'kis', type: 'KIS', preset: 'kis-paper', accounts: [{ id: '50012345-01', type: 'PAPER' }] }]);
    expect(Object.keys(simulator.brokerPorts)).toEqual(['kis']);
  });

  it('stops with SIGTERM and frees the ports', async () => {
    const simulator = await start();
    const pid = simulator.pid;

    await simulator.stop();
    await simulator.stop();

    expect(alive(pid)).toBe(false);
    await expect(listens(simulator.adminPort)).resolves.toBe(false);
  });

  it('restarts on the same ports with a new process', async () => {
    const simulator = await start();
    const { pid, adminPort, brokerPorts } = simulator;

    await simulator.restart();

    expect(simulator.pid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    expect(simulator.adminPort).toBe(adminPort);
    expect(simulator.brokerPorts).toEqual(brokerPorts);
    expect(simulator.logs()).toContain(`given admin ${adminPort} brokers {"kis":${brokerPorts['kis']}}`);
    await expect(listens(adminPort)).resolves.toBe(true);
    await expect(listens(brokerPorts['kis'])).resolves.toBe(true);
  });

  it('SIGKILLs a process that ignores SIGTERM after the stop timeout', async () => {
    const simulator = await start('ignore-term', { stopTimeoutMs: 300 });
    const pid = simulator.pid;

    await simulator.stop();

    expect(alive(pid)).toBe(false);
  });

  it('kills with a signal and waits for the exit; SIGSTOP returns at once and stop() still works', async () => {
    const stopped = await start();
    await stopped.kill('SIGSTOP');
    expect(alive(stopped.pid)).toBe(true);
    await stopped.stop();
    expect(alive(stopped.pid)).toBe(false);

    const killed = await start();
    await killed.kill();
    expect(alive(killed.pid)).toBe(false);
  });

  it.each([
    ['exit-early', {}, 'exited (code 3) before it was ready'],
    ['never-ready', { readyTimeoutMs: 500 }, 'not ready within 500 ms'],
    ['bad-ready', {}, 'unreadable READY line'],
  ])('rejects when the simulator %s, with its stderr', async (mode, extra, message) => {
    const failure = start(mode, extra);

    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toThrow(`fake simulator ${mode}`);
  });
});
