import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AccountType,
  BrokerConfig,
  BrokerRegistry,
  FailSafeCode,
  InvalidArgumentError,
  MockBrokerGateway,
  OrderAdapter,
} from '@qts/broker-domain';
import { JtsOrderAdapter } from '../adapters/jts/jts-order-adapter';
import { ConfiguredBrokerFactory } from './configured-broker-factory';
import { jtsAdapterResolver } from './jts-adapter-resolver';
import { LiveBroker } from './live-broker';
import { NoopBroker } from './noop-broker';
import { MOCK_GATEWAY_ACCOUNTS, mockBrokerConfig, ON_MOCK_BROKER, testIntent } from '@qts/test-support';
import { MockBroker } from '../../../test/mock-broker';
import { StubOrderAdapter } from '../../../test/stub-order-adapter';

const NOW = new Date('2025-03-04T01:00:00Z');

function factoryWith(
  options: {
    liveTradingEnabled?: boolean;
    adapters?: Record<string, OrderAdapter | undefined>;
    brokers?: BrokerConfig[];
    max?: number;
  } = {},
): ConfiguredBrokerFactory {
  const adapters = options.adapters ?? {
    mock: new JtsOrderAdapter(new MockBrokerGateway({ brokerId: 'mock', clock: () => NOW })),
  };
  return new ConfiguredBrokerFactory({
    brokers: options.brokers ?? [mockBrokerConfig('mock')],
    liveTradingEnabled: options.liveTradingEnabled ?? false,
    resolveAdapter: (broker) => adapters[broker.id],
    maxConsecutiveFailures: options.max,
  });
}

describe('ConfiguredBrokerFactory', () => {
  it('gives PAPER accounts a LiveBroker even while live trading is disabled', async () => {
    const engine = factoryWith().engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper);

    expect(engine).toBeInstanceOf(LiveBroker);
    await expect(engine.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({ accepted: true, broker: 'mock' });
  });

  it('gives REAL accounts a NoopBroker (FS047) while LIVE_TRADING_ENABLED=false', async () => {
    const engine = factoryWith({ liveTradingEnabled: false }).engineFor('mock', MOCK_GATEWAY_ACCOUNTS.real);

    expect(engine).toBeInstanceOf(NoopBroker);
    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, accountId: MOCK_GATEWAY_ACCOUNTS.real }))).resolves.toMatchObject({
      accepted: false,
      broker: 'noop',
      failSafeCode: FailSafeCode.FS047,
      message: expect.stringContaining('LIVE_TRADING_ENABLED=false'),
    });
  });

  it('gives REAL accounts a LiveBroker when LIVE_TRADING_ENABLED=true', () => {
    expect(factoryWith({ liveTradingEnabled: true }).engineFor('mock', MOCK_GATEWAY_ACCOUNTS.real)).toBeInstanceOf(
      LiveBroker,
    );
  });

  it('answers NoopBroker for a broker without adapter, an unknown broker and an unknown account', async () => {
    const factory = factoryWith({ adapters: {} });

    const noAdapter = factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper);
    const unknownBroker = factoryWith().engineFor('nope', MOCK_GATEWAY_ACCOUNTS.paper);
    const unknownAccount = factoryWith().engineFor('mock', 'NOPE');

    expect(noAdapter).toBeInstanceOf(NoopBroker);
    await expect(noAdapter.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      message: expect.stringContaining('no order adapter'),
    });
    await expect(unknownBroker.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      failSafeCode: FailSafeCode.FS047,
      message: "broker 'nope' is not configured",
    });
    await expect(unknownAccount.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      message: "account 'NOPE' is not configured for broker 'mock'",
    });
    expect(factory.failSafeStatus()).toEqual([]);
  });

  it('uses an adapter that appears later instead of a cached NoopBroker', () => {
    const adapters: Record<string, OrderAdapter | undefined> = {};
    const factory = factoryWith({ adapters });
    expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper)).toBeInstanceOf(NoopBroker);

    adapters['mock'] = new StubOrderAdapter('mock');

    expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper)).toBeInstanceOf(LiveBroker);
  });

  it('caches one engine per (broker, account) so the failure count survives across intents', async () => {
    const adapter = new StubOrderAdapter('mock');
    const factory = factoryWith({ adapters: { mock: adapter }, brokers: [mockBrokerConfig('mock')], max: 2 });
    const first = factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper);
    adapter.answerNext(new Error('boom 1'), new Error('boom 2'));

    await expect(first.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'a' }))).rejects.toThrow('boom 1');
    await expect(
      factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'b' })),
    ).rejects.toThrow('boom 2');

    expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper)).toBe(first);
    await expect(
      factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'c' })),
    ).resolves.toMatchObject({
      broker: 'failsafe',
      failSafeCode: FailSafeCode.FS046,
    });
    expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.real)).toBeInstanceOf(NoopBroker);
    expect(factory.failSafeStatus()).toEqual([
      {
        brokerId: 'mock',
        accountId: MOCK_GATEWAY_ACCOUNTS.paper,
        tripped: true,
        consecutiveFailures: 2,
        maxConsecutiveFailures: 2,
        lastFailure: 'mock: the order call failed (boom 2); reconcile it',
      },
    ]);
    expect(factory.failSafeOf('mock', MOCK_GATEWAY_ACCOUNTS.paper)).toMatchObject({ tripped: true, consecutiveFailures: 2 });
    expect(factory.failSafeOf('mock', 'never-used')).toEqual({
      brokerId: 'mock',
      accountId: 'never-used',
      tripped: false,
      consecutiveFailures: 0,
      maxConsecutiveFailures: 2,
    });
  });

  it('shares the guard between the live and the dry-run engine of an account', async () => {
    const adapter = new StubOrderAdapter('mock');
    const factory = factoryWith({ adapters: { mock: adapter }, max: 1 });
    adapter.answerNext(new Error('down'));
    await expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent(ON_MOCK_BROKER))).rejects.toThrow('down');

    const dryRun = factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper, { dryRun: true });

    expect(dryRun).toBe(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper, { dryRun: true }));
    await expect(dryRun.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({ broker: 'failsafe' });
  });

  it('answers dry runs without sending anything', async () => {
    const adapter = new StubOrderAdapter('mock');
    const factory = factoryWith({ adapters: { mock: adapter } });

    const response = await factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper, { dryRun: true }).submitIntent(testIntent(ON_MOCK_BROKER));

    expect(response).toMatchObject({ accepted: true, dryRun: true });
    expect(adapter.placed).toHaveLength(0);
  });

  it('keeps a tripped guard when the broker adapter is replaced (reconnect)', async () => {
    const adapters: Record<string, OrderAdapter | undefined> = {
      mock: new StubOrderAdapter('mock').answerNext(new Error('x')),
    };
    const factory = factoryWith({ adapters, max: 1 });
    await expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent(ON_MOCK_BROKER))).rejects.toThrow('x');

    const replacement = new StubOrderAdapter('mock');
    adapters['mock'] = replacement;

    await expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      broker: 'failsafe',
    });
    factory.resetFailSafe('mock');
    await expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      accepted: true,
    });
    expect(replacement.placed).toHaveLength(1);
  });

  it('resets the guards of one broker or of all and reports which brokers were tripped', async () => {
    const a = new StubOrderAdapter('a').answerNext(new Error('a down'));
    const b = new StubOrderAdapter('b').answerNext(new Error('b down'));
    const factory = factoryWith({
      adapters: { a, b },
      brokers: [mockBrokerConfig('a'), mockBrokerConfig('b')],
      max: 1,
    });
    await expect(
      factory.engineFor('a', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'a' })),
    ).rejects.toThrow();
    await expect(
      factory.engineFor('b', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'b' })),
    ).rejects.toThrow();
    factory.engineFor('b', MOCK_GATEWAY_ACCOUNTS.real);

    expect(factory.resetFailSafe('a')).toEqual(['a']);
    expect(factory.resetFailSafe('a')).toEqual([]);
    expect(factory.failSafeStatus().filter((status) => status.tripped)).toEqual([
      expect.objectContaining({ brokerId: 'b', accountId: MOCK_GATEWAY_ACCOUNTS.paper, tripped: true, consecutiveFailures: 1 }),
    ]);
    expect(factory.resetFailSafe()).toEqual(['b']);
    expect(factory.failSafeStatus().every((status) => !status.tripped)).toBe(true);
  });

  it('resets the guard of one account only, answering the guards it found tripped or counting', async () => {
    const adapter = new StubOrderAdapter('mock').answerNext(new Error('down')).answerNext(new Error('down'));
    const factory = factoryWith({ adapters: { mock: adapter }, max: 1 });
    const paperIntent = testIntent({ ...ON_MOCK_BROKER });
    await expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(paperIntent)).rejects.toThrow();

    expect(factory.resetGuards({ brokerId: 'mock', accountId: 'someone-else' })).toEqual([]);
    expect(factory.failSafeOf('mock', MOCK_GATEWAY_ACCOUNTS.paper).tripped).toBe(true);
    expect(factory.resetGuards({ brokerId: 'mock', accountId: MOCK_GATEWAY_ACCOUNTS.paper })).toEqual([
      expect.objectContaining({ brokerId: 'mock', accountId: MOCK_GATEWAY_ACCOUNTS.paper, tripped: true, consecutiveFailures: 1, lastFailure: expect.stringContaining('down') }),
    ]);
    expect(factory.failSafeOf('mock', MOCK_GATEWAY_ACCOUNTS.paper)).toMatchObject({ tripped: false, consecutiveFailures: 0 });
    expect(factory.resetGuards()).toEqual([]);
  });

  it('trades an account the directory knows (added at run time) and refuses one it does not know any more', () => {
    const known = new Set(['RUNTIME-7']);
    const factory = new ConfiguredBrokerFactory({
      brokers: [mockBrokerConfig('mock')],
      liveTradingEnabled: false,
      resolveAdapter: () => new StubOrderAdapter('mock'),
      accountOf: (_brokerId, accountId) => (known.has(accountId) ? { id: accountId, name: 'r', type: AccountType.PAPER, isDefault: false } : undefined),
    });
    expect(factory.engineFor('mock', 'RUNTIME-7')).toBeInstanceOf(LiveBroker);
    known.delete('RUNTIME-7');
    expect(factory.engineFor('mock', 'RUNTIME-7')).toBeInstanceOf(NoopBroker);
    // The directory decides: a configured account it no longer lists is not traded either.
    expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper)).toBeInstanceOf(NoopBroker);
  });

  it('returns the order adapter of a configured broker for reconciliation', () => {
    const adapter = new StubOrderAdapter('mock');
    const factory = factoryWith({ adapters: { mock: adapter } });

    expect(factory.adapterFor('mock')).toBe(adapter);
    expect(factory.adapterFor('unknown')).toBeUndefined();
  });

  it('refuses an adapter resolved for the wrong broker', () => {
    const factory = factoryWith({ adapters: { mock: new StubOrderAdapter('other') } });

    expect(() => factory.adapterFor('mock')).toThrow(InvalidArgumentError);
  });

  it('refuses an invalid failure limit at construction', () => {
    expect(() => factoryWith({ max: 0 })).toThrow(InvalidArgumentError);
  });

  it('never hands out a MockBroker', () => {
    const engines = [
      factoryWith().engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper),
      factoryWith().engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper, { dryRun: true }),
      factoryWith().engineFor('mock', MOCK_GATEWAY_ACCOUNTS.real),
      factoryWith({ liveTradingEnabled: true }).engineFor('mock', MOCK_GATEWAY_ACCOUNTS.real),
      factoryWith({ adapters: {} }).engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper),
      factoryWith().engineFor('nope', 'x'),
    ];

    for (const engine of engines) {
      expect(engine).not.toBeInstanceOf(MockBroker);
      expect(engine.name).not.toBe('mock');
      expect(engine instanceof LiveBroker || engine instanceof NoopBroker).toBe(true);
    }
  });

  it('keeps MockBroker out of production code: only spec files import testing/', () => {
    const sourceRoot = join(__dirname, '..', '..');
    const offenders = productionFiles(sourceRoot).filter((file) =>
      /from\s+['"][^'"]*\/testing\/[^'"]*['"]/.test(readFileSync(file, 'utf8')),
    );

    expect(offenders).toEqual([]);
  });
});

describe('jtsAdapterResolver', () => {
  it('wraps the registry gateway of a broker in one JtsOrderAdapter per gateway instance', () => {
    const registry = new BrokerRegistry();
    const gateway = new MockBrokerGateway({ brokerId: 'mock', clock: () => NOW });
    registry.register(gateway, { mock: true });
    const resolve = jtsAdapterResolver(registry);

    const adapter = resolve(mockBrokerConfig('mock'));

    expect(adapter).toBeInstanceOf(JtsOrderAdapter);
    expect(resolve(mockBrokerConfig('mock'))).toBe(adapter);
    expect(resolve(mockBrokerConfig('other'))).toBeUndefined();
    registry.unregister('mock');
    registry.register(new MockBrokerGateway({ brokerId: 'mock', clock: () => NOW }), { mock: true });
    expect(resolve(mockBrokerConfig('mock'))).not.toBe(adapter);
  });
});

/** Every .ts file under `root` that is not test code (specs, testing/ folders). */
function productionFiles(root: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testing' && name !== 'fixtures') files.push(...productionFiles(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.int-spec.ts')) {
      files.push(path);
    }
  }
  return files;
}
