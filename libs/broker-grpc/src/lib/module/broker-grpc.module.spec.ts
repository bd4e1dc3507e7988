import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  AccountType,
  BrokerRegistry,
  BrokerType,
  ConnectionStatus,
  MockBrokerGateway,
} from '@qts/broker-domain';
import { SlidingWindowLimiter } from '@qts/rate-limit';
import { brokerConfig } from '../../../test/broker-config-fixture';
import { ScriptedJtsServer } from '../../../test/scripted-jts-server';
import { present } from '../../../test/present';
import { waitUntil } from '../../../test/wait-until';
import { BrokerConnectionManager } from '../connection/broker-connection-manager';
import { GrpcBrokerGateway } from '../gateway/grpc-broker-gateway';
import { BrokerGrpcModuleOptions } from './broker-grpc-module-options';
import { BrokerGrpcModule } from './broker-grpc.module';
import { BROKER_GRPC_OPTIONS, BROKER_LIMITERS } from './broker-grpc.tokens';

jest.setTimeout(15_000);

describe('BrokerGrpcModule', () => {
  let server: ScriptedJtsServer;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    server = await ScriptedJtsServer.start();
  });

  afterAll(() => server.stop());

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  function options(): BrokerGrpcModuleOptions {
    return {
      brokers: [
        brokerConfig('kis', server.port, { rateLimit: { preset: 'kis-paper' } }),
        brokerConfig('offline', 0, {
          type: BrokerType.CREON,
          mock: true,
          rateLimit: {},
          accounts: [{ id: 'PAPER-9', name: 'paper', type: AccountType.PAPER, isDefault: true }],
        }),
      ],
      healthIntervalMs: 60_000,
      deadlineMs: 2_000,
      seed: 7,
    };
  }

  async function init(module: ReturnType<typeof BrokerGrpcModule.forRoot>): Promise<TestingModule> {
    moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  it('forRoot: a registry with a gRPC gateway per broker and the mock for mock brokers', async () => {
    const ref = await init(BrokerGrpcModule.forRoot(options()));
    const registry = ref.get(BrokerRegistry);
    const manager = ref.get(BrokerConnectionManager);

    expect(registry.get('kis')).toBeInstanceOf(GrpcBrokerGateway);
    expect(registry.get('offline')).toBeInstanceOf(MockBrokerGateway);
    await waitUntil(() => manager.getStatus('kis') === ConnectionStatus.CONNECTED, 'kis is CONNECTED');

    const [kis, offline] = registry.listAll();
    expect(kis).toMatchObject({ brokerId: 'kis', type: BrokerType.KIS, status: ConnectionStatus.CONNECTED, mock: false, offline: false });
    expect(kis.rateLimitUsage?.rules.map((rule) => rule.ruleId)).toEqual(['requests', 'token']);
    expect(offline).toMatchObject({ brokerId: 'offline', type: BrokerType.CREON, status: ConnectionStatus.CONNECTED, mock: true, rateLimitUsage: null });
  });

  it('the gRPC gateway talks to the server and counts against its limiter; the mock trades on its configured account', async () => {
    const ref = await init(BrokerGrpcModule.forRoot(options()));
    const registry = ref.get(BrokerRegistry);
    const limiters = ref.get<ReadonlyMap<string, SlidingWindowLimiter>>(BROKER_LIMITERS);

    const quote = await registry.require('kis').getQuote('005930');
    const balance = await registry.require('offline').getBalance('PAPER-9');

    expect(quote.symbol).toBe('005930');
    expect([...limiters.keys()]).toEqual(['kis']);
    expect(present(limiters.get('kis'), 'the kis limiter').usage().rules[0].used).toBe(1);
    expect(balance.cashBalance.toFixed()).toBe('100000000');
    expect(registry.listAll()[0].rateLimitUsage?.rules[0].used).toBe(1);
  });

  it('exposes its options under BROKER_GRPC_OPTIONS', async () => {
    const given = options();
    const ref = await init(BrokerGrpcModule.forRoot(given));

    expect(ref.get(BROKER_GRPC_OPTIONS)).toEqual(given);
  });

  it('disconnects every broker and closes the limiters on shutdown', async () => {
    const ref = await init(BrokerGrpcModule.forRoot(options()));
    const manager = ref.get(BrokerConnectionManager);
    const limiter = ref.get<ReadonlyMap<string, SlidingWindowLimiter>>(BROKER_LIMITERS).get('kis');
    expect(manager.listStatuses()).toHaveLength(1);

    await ref.close();
    moduleRef = undefined;

    expect(manager.listStatuses()).toEqual([]);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DISCONNECTED);
    await expect(present(limiter, 'the kis limiter').acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
  });

  it('forRootAsync: options from a factory with injected dependencies, usable by other modules when global', async () => {
    @Injectable()
    class AppConfig {
      readonly brokers = [brokerConfig('kis', server.port)];
    }
    @Module({ providers: [AppConfig], exports: [AppConfig] })
    class AppConfigModule {}

    @Injectable()
    class Consumer {
      constructor(readonly registry: BrokerRegistry) {}
    }
    @Module({ providers: [Consumer] })
    class ConsumerModule {}

    moduleRef = await Test.createTestingModule({
      imports: [
        BrokerGrpcModule.forRootAsync({
          isGlobal: true,
          imports: [AppConfigModule],
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ brokers: config.brokers, acquireTimeoutMs: 0 }),
        }),
        ConsumerModule,
      ],
    }).compile();
    await moduleRef.init();

    expect(moduleRef.get(Consumer).registry.ids()).toEqual(['kis']);
    await expect(moduleRef.get(Consumer).registry.require('kis').getSymbols()).resolves.toHaveLength(2);
  });

  it('invalid rate-limit configuration stops start-up naming the field', async () => {
    const bad = options();
    bad.brokers[0].rateLimit = { preset: 'kis-turbo' };

    await expect(Test.createTestingModule({ imports: [BrokerGrpcModule.forRoot(bad)] }).compile()).rejects.toThrow(
      'brokers[0].rateLimit.preset',
    );
  });

  it('a broker id listed twice stops start-up', async () => {
    const bad = options();
    bad.brokers.push({ ...bad.brokers[1] });

    await expect(Test.createTestingModule({ imports: [BrokerGrpcModule.forRoot(bad)] }).compile()).rejects.toThrow(
      "brokers[2].id 'offline' is listed twice",
    );
  });
});
