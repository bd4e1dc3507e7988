import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRestSimulatorProcess } from './rest-simulator-process';
import type { RestSimulatorProcess } from './rest-simulator-process';

jest.setTimeout(30_000);

/**
 * A stand-in for the built REST simulator: writes its arguments to a file, serves an admin HTTP API on a free
 * port that records every request and answers like the real one, prints the READY line with made-up broker
 * ports, and misbehaves on request.
 */
const FAKE_SIMULATOR = `
const fs = require('node:fs');
const http = require('node:http');
const args = process.argv.slice(2);
const arg = (name) => { const at = args.indexOf(name); return at < 0 ? undefined : args[at + 1]; };
const mode = arg('--fake-mode') || 'normal';
fs.writeFileSync(arg('--fake-args'), JSON.stringify(args));
process.stderr.write('fake rest simulator ' + mode + '\\n');
if (mode === 'exit-early') { process.stderr.write('boom\\n'); process.exit(3); }
const brokers = {};
args.forEach((value, i) => { if (args[i - 1] === '--broker') brokers[value.split(':')[0]] = 40000 + Object.keys(brokers).length; });
const seen = [];
const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    seen.push({ method: request.method, url: request.url, body: body === '' ? undefined : JSON.parse(body) });
    fs.writeFileSync(arg('--fake-seen'), JSON.stringify(seen));
    const id = (request.url.match(/^\\/admin\\/brokers\\/([^/]+)/) || [])[1];
    if (id !== undefined && brokers[id] === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: "no broker '" + id + "'" }));
      return;
    }
    const answer = request.url === '/admin/stats'
      ? { brokers: Object.fromEntries(Object.keys(brokers).map((b) => [b, { up: true, port: brokers[b], violations: {}, tokensIssued: 2 }])) }
      : request.url.endsWith('/expire-tokens') ? { brokers: { [id]: { expired: 3 } } } : { brokers: { [id]: {} } };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer));
  });
});
server.listen(Number(arg('--admin-port')), '127.0.0.1', () => {
  if (mode === 'never-ready') return;
  process.stdout.write('starting\\n');
  process.stdout.write('REST_BROKER_SIMULATOR_READY ' + JSON.stringify({ admin: server.address().port, brokers }) + '\\n');
});
process.on('SIGTERM', () => { if (mode !== 'ignore-term') server.close(() => process.exit(0)); server.closeAllConnections(); });
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

describe('startRestSimulatorProcess', () => {
  let dir: string;
  let fakeMain: string;
  let argsFile: string;
  let seenFile: string;
  const processes: RestSimulatorProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fake-rest-simulator-'));
    fakeMain = path.join(dir, 'main.js');
    argsFile = path.join(dir, 'args.json');
    seenFile = path.join(dir, 'seen.json');
    writeFileSync(fakeMain, FAKE_SIMULATOR);
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((simulator) => simulator.stop()));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(mode = 'normal', extra: Partial<Parameters<typeof startRestSimulatorProcess>[0]> = {}): Promise<RestSimulatorProcess> {
    const simulator = await startRestSimulatorProcess({
      brokers: [{ id: 'kis', type: 'KIS' }],
      simulatorMain: fakeMain,
      args: ['--fake-mode', mode, '--fake-args', argsFile, '--fake-seen', seenFile],
      ...extra,
    });
    processes.push(simulator);
    return simulator;
  }

  it('tells to build the simulator when its main.js is missing', async () => {
    await expect(startRestSimulatorProcess({ brokers: [], simulatorMain: path.join(dir, 'missing.js') })).rejects.toThrow(
      'run `npx nx run rest-broker-simulator:build` first',
    );
  });

  it('starts every port at 0 on 127.0.0.1 with the flags of the brokers, and resolves at the READY line', async () => {
    const simulator = await start('normal', {
      brokers: [
        { id: 'kis', type: 'KIS', preset: 'kis-real', accounts: ['50099999-01'], rules: [{ id: 'token', limit: 1, windowMs: 2000 }] },
        { id: 'kiwoom', type: 'KIWOOM' },
      ],
      tokenTtlMs: 5_000,
      seed: 7,
      acceptAppKeys: ['PSkey'],
      logLevel: 'info',
    });

    const args = JSON.parse(readFileSync(argsFile, 'utf8')) as string[];
    expect(args.slice(0, 8)).toEqual(['--admin-port', '0', '--host', '127.0.0.1', '--seed', '7', '--log-level', 'info']);
    expect(args.join(' ')).toContain(
      '--token-ttl-ms 5000 --accept-app-key PSkey --broker kis:KIS:0:kis-real --account kis:50099999-01 --rule kis:token:1:2000 --broker kiwoom:KIWOOM:0',
    );
    expect(simulator.brokerPorts).toEqual({ kis: 40000, kiwoom: 40001 });
    expect(simulator.brokerUrl('kiwoom')).toBe('http://127.0.0.1:40001');
    expect(() => simulator.brokerUrl('creon')).toThrow("serves no broker 'creon'");
    await expect(listens(simulator.adminPort)).resolves.toBe(true);
    expect(simulator.logs()).toContain('fake rest simulator normal');
  });

  it('drives the admin API: stats, faults, down and up, expired tokens, reset', async () => {
    const simulator = await start();

    const stats = await simulator.stats('kis');
    await simulator.setFaults('kis', { failNext: { count: 1, status: 500, brokerCode: 'EGW00201' } });
    await simulator.clearFaults('kis');
    await simulator.down('kis');
    await simulator.up('kis');
    const expired = await simulator.expireTokens('kis');
    await simulator.resetStats('kis', true);

    expect(stats).toMatchObject({ up: true, port: 40000, tokensIssued: 2 });
    expect(expired).toBe(3);
    expect(JSON.parse(readFileSync(seenFile, 'utf8'))).toEqual([
      { method: 'GET', url: '/admin/stats' },
      { method: 'POST', url: '/admin/brokers/kis/faults', body: { failNext: { count: 1, status: 500, brokerCode: 'EGW00201' } } },
      { method: 'POST', url: '/admin/brokers/kis/clear-faults', body: {} },
      { method: 'POST', url: '/admin/brokers/kis/down', body: {} },
      { method: 'POST', url: '/admin/brokers/kis/up', body: {} },
      { method: 'POST', url: '/admin/brokers/kis/expire-tokens', body: {} },
      { method: 'POST', url: '/admin/brokers/kis/reset-stats', body: { resetRateWindows: true } },
    ]);
  });

  it('rejects an admin call the simulator refuses, with its status and answer', async () => {
    const simulator = await start();

    await expect(simulator.down('nobody')).rejects.toThrow(`admin POST /admin/brokers/nobody/down: HTTP 404 {"error":"no broker 'nobody'"}`);
  });

  it('stops with SIGTERM and frees the admin port', async () => {
    const simulator = await start();
    const pid = simulator.pid;

    await simulator.stop();
    await simulator.stop();

    expect(alive(pid)).toBe(false);
    await expect(listens(simulator.adminPort)).resolves.toBe(false);
  });

  it('SIGKILLs a process that ignores SIGTERM after the stop timeout', async () => {
    const simulator = await start('ignore-term', { stopTimeoutMs: 300 });
    const pid = simulator.pid;

    await simulator.stop();

    expect(alive(pid)).toBe(false);
  });

  it('reports a process that exits before READY, with its stderr', async () => {
    await expect(start('exit-early')).rejects.toThrow(/exited \(code 3\) before it was ready[\s\S]*boom/);
  });

  it('gives up waiting for READY after the bound and kills the process', async () => {
    await expect(start('never-ready', { readyTimeoutMs: 500 })).rejects.toThrow('was not ready within 500 ms');
  });
});
