import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { parseCliArguments } from '../cli/parse-cli-arguments';
import { resolveSimulatorConfig } from './resolve-simulator-config';

describe('resolveSimulatorConfig', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sim-resolve-'));
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(
      path.join(dir, 'config', 'brokers.yaml'),
      [
        'brokers:',
        '  - { id: kis, type: KIS, grpc: { port: 50061 }, rateLimit: { preset: kis-real }, accounts: [{ id: "R-1", type: REAL }] }',
        '  - { id: creon, type: CREON, grpc: { port: 50062 } }',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'other.yaml'), 'brokers:\n  - { id: solo, type: KIWOOM, grpc: { port: 40000 } }\n');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const resolve = (argv: string[], env: Record<string, string> = {}) => resolveSimulatorConfig(parseCliArguments(argv), env, dir);

  it('serves every broker of config/brokers.yaml with the defaults', () => {
    expect(resolve([])).toEqual({
      host: '127.0.0.1',
      adminPort: 50060,
      seed: 42,
      brokers: [
        { id: 'kis', type: BrokerType.KIS, port: 50061, rateLimit: { preset: 'kis-real' }, accounts: [{ id: 'R-1', type: AccountType.REAL }] },
        { id: 'creon', type: BrokerType.CREON, port: 50062, rateLimit: { preset: 'creon' }, accounts: [{ id: '12345678', type: AccountType.PAPER }] },
      ],
      faults: {},
      startDown: false,
    });
  });

  it('reads the file named by BROKERS_CONFIG, and --config over it', () => {
    expect(resolve([], { BROKERS_CONFIG: 'other.yaml' }).brokers.map((broker) => broker.id)).toEqual(['solo']);
    expect(resolve(['--config', 'config/brokers.yaml'], { BROKERS_CONFIG: 'other.yaml' }).brokers.map((broker) => broker.id)).toEqual([
      'kis',
      'creon',
    ]);
  });

  it('serves only the --broker brokers, inheriting accounts and rate limits from the file by id', () => {
    const config = resolve(['--broker', 'kis:KIS:0', '--broker', 'extra:KIWOOM:50070:none', '--broker', 'creon:CREON:50072:kiwoom']);

    expect(config.brokers).toEqual([
      { id: 'kis', type: BrokerType.KIS, port: 0, rateLimit: { preset: 'kis-real' }, accounts: [{ id: 'R-1', type: AccountType.REAL }] },
      { id: 'extra', type: BrokerType.KIWOOM, port: 50070, rateLimit: 'none', accounts: [{ id: '5012345601', type: AccountType.PAPER }] },
      { id: 'creon', type: BrokerType.CREON, port: 50072, rateLimit: { preset: 'kiwoom' }, accounts: [{ id: '12345678', type: AccountType.PAPER }] },
    ]);
  });

  it('runs --broker brokers without any file when the default one is missing', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sim-empty-'));
    try {
      const config = resolveSimulatorConfig(parseCliArguments(['--broker', 'k:KIS:0']), {}, empty);
      expect(config.brokers).toEqual([
        { id: 'k', type: BrokerType.KIS, port: 0, rateLimit: { preset: 'kis-paper' }, accounts: [{ id: '50012345-01', type: AccountType.PAPER }] },
      ]);
      expect(() => resolveSimulatorConfig(parseCliArguments([]), {}, empty)).toThrow('config/brokers.yaml does not exist');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('takes host, ports, seed, faults and refuse from the command line', () => {
    const config = resolve([
      '--host', '0.0.0.0',
      '--admin-port', '0',
      '--seed', '7',
      '--latency-ms', '250',
      '--error-rate', '0.1',
      '--error-code', 'DEADLINE_EXCEEDED',
      '--quote-interval-ms', '100',
      '--refuse',
    ]);

    expect(config).toMatchObject({
      host: '0.0.0.0',
      adminPort: 0,
      seed: 7,
      quoteIntervalMs: 100,
      faults: { latencyMs: 250, errorRate: 0.1, errorCode: status.DEADLINE_EXCEEDED },
      startDown: true,
    });
  });

  it.each([
    [['--config', 'missing.yaml'], 'missing.yaml does not exist'],
    [['--broker', 'a:KIS:0', '--broker', 'a:KIS:1'], "--broker names broker 'a' twice"],
    [['--broker', 'a:KIS:50060'], "port 50060 is used by both the admin API and broker 'a'"],
    [['--broker', 'a:KIS:5', '--broker', 'b:CREON:5'], "port 5 is used by both broker 'a' and broker 'b'"],
    [['--broker', 'a:KIS:0:turbo'], '--broker a.preset must be one of'],
  ])('refuses %j naming the problem', (argv, message) => {
    expect(() => resolve(argv)).toThrow(message);
  });
});
