import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { findRepositoryRoot } from '@qts/test-support';
import { loadBrokersFile, parseBrokersDocument } from './brokers-file';
import { SimulatorConfigError } from './simulator-config-error';

describe('brokers.yaml loading', () => {
  it('reads the repository config/brokers.yaml: every JTS broker on its port with its preset and accounts', () => {
    const brokers = loadBrokersFile(path.join(findRepositoryRoot(), 'config', 'brokers.yaml'));

    expect(brokers).toEqual([
      {
        id: 'kis',
        type: BrokerType.KIS,
        port: 50061,
        rateLimit: { preset: 'kis-paper' },
        accounts: [{ id: '50012345-01', type: AccountType.PAPER }],
      },
      { id: 'creon', type: BrokerType.CREON, port: 50062, rateLimit: { preset: 'creon' }, accounts: [{ id: '12345678', type: AccountType.PAPER }] },
      {
        id: 'kiwoom',
        type: BrokerType.KIWOOM,
        port: 50063,
        rateLimit: { preset: 'kiwoom' },
        accounts: [{ id: '5012345601', type: AccountType.PAPER }],
      },
    ]);
  });

  it('skips the brokers reached over their REST API, and says so when none is left', () => {
    const brokers = parseBrokersDocument(
      [
        'brokers:',
        '  - { id: direct, type: KIS, rest: { environment: paper } }',
        '  - { id: stated, type: KIWOOM, transport: rest, grpc: { port: 2 }, rest: {} }',
        '  - { id: both, type: KIS, transport: jts, grpc: { port: 3 }, rest: {} }',
        '  - { id: jts, type: KIS, grpc: { port: 4 } }',
      ].join('\n'),
      'test.yaml',
    );

    expect(brokers.map((broker) => [broker.id, broker.port])).toEqual([
      ['both', 3],
      ['jts', 4],
    ]);
    expect(() => parseBrokersDocument('brokers:\n  - { id: direct, type: KIS, rest: {} }', 'test.yaml')).toThrow(
      'brokers has no broker reached through JTS',
    );
  });

  it('fills in defaults: accounts by type, the preset by type (kis-real with a REAL account), PAPER accounts', () => {
    const brokers = parseBrokersDocument(
      [
        'brokers:',
        '  - { id: kis, type: KIS, grpc: { port: 0 }, accounts: [{ id: 12345678, type: REAL }] }',
        '  - { id: creon, type: creon, grpc: { port: "50062" } }',
        '  - { id: kiwoom, type: KIWOOM, grpc: { port: 1 }, rateLimit: { preset: none }, accounts: [{ id: K1 }] }',
      ].join('\n'),
      'test.yaml',
    );

    expect(brokers).toEqual([
      { id: 'kis', type: BrokerType.KIS, port: 0, rateLimit: { preset: 'kis-real' }, accounts: [{ id: '12345678', type: AccountType.REAL }] },
      { id: 'creon', type: BrokerType.CREON, port: 50062, rateLimit: { preset: 'creon' }, accounts: [{ id: '12345678', type: AccountType.PAPER }] },
      { id: 'kiwoom', type: BrokerType.KIWOOM, port: 1, rateLimit: 'none', accounts: [{ id: 'K1', type: AccountType.PAPER }] },
    ]);
  });

  it.each([
    ['brokers: []', 'brokers must be a non-empty list'],
    ['nothing: here', 'brokers must be a non-empty list'],
    ['brokers: [ {', 'document is not valid YAML'],
    ['brokers: [ 5 ]', 'brokers[0] must be an object'],
    ['brokers: [ { id: "k s", type: KIS, grpc: { port: 1 } } ]', 'brokers[0].id must be a non-empty id'],
    ['brokers: [ { id: a, type: NH, grpc: { port: 1 } } ]', 'brokers[0].type must be one of KIS, CREON, KIWOOM (got "NH")'],
    ['brokers: [ { id: a, type: KIS } ]', 'brokers[0].grpc must be an object'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 70000 } } ]', 'brokers[0].grpc.port must be an integer between 0 and 65535'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1.5 } } ]', 'brokers[0].grpc.port must be an integer'],
    [
      'brokers: [ { id: a, type: KIS, grpc: { port: 1 } }, { id: a, type: KIS, grpc: { port: 2 } } ]',
      "brokers[1].id repeats broker 'a'",
    ],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, rateLimit: { preset: fast } } ]', 'brokers[0].rateLimit.preset must be one of'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, rateLimit: fast } ]', 'brokers[0].rateLimit must be an object'],
    [
      'brokers: [ { id: a, type: KIS, grpc: { port: 1 }, rateLimit: { rules: [ { id: r, limit: 0, windowMs: 1000 } ] } } ]',
      'brokers[0].rateLimit.rules[0].limit',
    ],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, accounts: { id: x } } ]', 'brokers[0].accounts must be a list'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, accounts: [ 7.5 ] } ]', 'brokers[0].accounts[0] must be an object'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, accounts: [ { id: "" } ] } ]', 'brokers[0].accounts[0].id must be a non-empty string'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, accounts: [ { id: x, type: DEMO } ] } ]', 'brokers[0].accounts[0].type must be one of REAL, PAPER'],
    ['brokers: [ { id: a, type: KIS, grpc: { port: 1 }, accounts: [ { id: x }, { id: x } ] } ]', "brokers[0].accounts[1].id repeats account 'x'"],
  ])('refuses %s naming the field', (yaml, message) => {
    expect(() => parseBrokersDocument(yaml, 'bad.yaml')).toThrow(SimulatorConfigError);
    expect(() => parseBrokersDocument(yaml, 'bad.yaml')).toThrow(`bad.yaml: ${message}`);
  });

  it('names a missing file', () => {
    expect(() => loadBrokersFile('/nowhere/brokers.yaml')).toThrow('--config file /nowhere/brokers.yaml does not exist');
  });

  it('names a file it cannot read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-config-'));
    try {
      writeFileSync(path.join(dir, 'brokers.yaml'), 'brokers: []');
      expect(() => loadBrokersFile(dir)).toThrow(`--config file ${dir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
