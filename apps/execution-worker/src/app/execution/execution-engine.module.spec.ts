import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BrokerRegistry, FailSafeCode, MockBrokerGateway, OrderType } from '@qts/broker-domain';
import { BROKER_ORDER_ADAPTERS, BrokerTransportModule } from '@qts/broker-transport';
import { PlatformConfigModule } from '@qts/platform-config';
import { StubOrderAdapter } from '../../../test/stub-order-adapter';
import { BROKER_FACTORY, BrokerFactory } from './broker-factory';
import { ExecutionEngineModule } from './execution-engine.module';
import { LiveBroker } from './live-broker';
import { MOCK_GATEWAY_ACCOUNTS, mockBrokerConfig, ON_MOCK_BROKER, testIntent, testPlatformConfig } from '@qts/test-support';

const NOW = new Date('2025-03-04T01:00:00Z');

/** The REST order adapter of broker 'kis-direct', as the transport module would give it. */
const REST_ADAPTER = new StubOrderAdapter('kis-direct');

/**
 * Stands in for BrokerTransportModule: exports the BrokerRegistry with the mock broker registered, and the order
 * adapter of 'kis-direct' as a broker reached over REST.
 */
@Module({
  providers: [
    {
      provide: BrokerRegistry,
      useFactory: () => {
        const registry = new BrokerRegistry();
        registry.register(new MockBrokerGateway({ brokerId: 'mock', clock: () => NOW }), { mock: true });
        return registry;
      },
    },
    { provide: BROKER_ORDER_ADAPTERS, useValue: new Map([['kis-direct', REST_ADAPTER]]) },
  ],
  exports: [BrokerRegistry, BROKER_ORDER_ADAPTERS],
})
class TestRegistryModule {}

async function factoryFrom(
  options: Parameters<typeof ExecutionEngineModule.forRoot>[0],
  liveTradingEnabled = false,
) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformConfigModule.forRoot({
        config: testPlatformConfig({ brokers: [mockBrokerConfig('mock'), mockBrokerConfig('kis-direct')], liveTradingEnabled: liveTradingEnabled }),
      }),
      ExecutionEngineModule.forRoot(options),
    ],
  }).compile();
  return { moduleRef, factory: moduleRef.get<BrokerFactory>(BROKER_FACTORY) };
}

describe('ExecutionEngineModule', () => {
  it('provides BROKER_FACTORY wired to the configuration and the JTS gateways of the registry', async () => {
    const { moduleRef, factory } = await factoryFrom({ imports: [TestRegistryModule] });

    const engine = factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper);
    const response = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'module-1' }));

    expect(engine).toBeInstanceOf(LiveBroker);
    expect(response).toMatchObject({ intentId: 'module-1', accepted: true, broker: 'mock' });
    await expect(factory.adapterFor('mock')?.getOrder({ clientOrderId: 'module-1' })).resolves.toMatchObject({
      clientOrderId: 'module-1',
      orderId: response.orderId,
    });
    await expect(factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.real).submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      failSafeCode: FailSafeCode.FS047,
    });
    await moduleRef.close();
  });

  it('places the orders of a broker reached over REST through the REST order adapter of its connection', async () => {
    const { moduleRef, factory } = await factoryFrom({ imports: [TestRegistryModule] });
    const before = REST_ADAPTER.placed.length;

    await factory.engineFor('kis-direct', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'kis-direct', intentId: 'rest-1' }));

    expect(factory.adapterFor('kis-direct')).toBe(REST_ADAPTER);
    expect(REST_ADAPTER.placed.length - before).toBe(1);
    await moduleRef.close();
  });

  it('uses an order adapter given in its options instead of the transport\'s for that broker', async () => {
    const direct = new StubOrderAdapter('kis-direct');
    const { moduleRef, factory } = await factoryFrom({
      imports: [TestRegistryModule],
      orderAdapters: { 'kis-direct': direct },
    });

    await factory.engineFor('kis-direct', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'kis-direct' }));

    expect(factory.adapterFor('kis-direct')).toBe(direct);
    expect(direct.placed).toHaveLength(1);
    expect(factory.adapterFor('mock')).not.toBe(direct);
    await moduleRef.close();
  });

  it('passes the failure limit to every guard', async () => {
    const { moduleRef, factory } = await factoryFrom({
      imports: [TestRegistryModule],
      maxConsecutiveFailures: 7,
    });

    const engine = factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper) as LiveBroker;

    expect(engine.guard.maxConsecutiveFailures).toBe(7);
    await moduleRef.close();
  });

  it('works over the real BrokerTransportModule (global, mock broker: no network)', async () => {
    const config = testPlatformConfig({ brokers: [mockBrokerConfig('mock')] });
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformConfigModule.forRoot({ config }),
        BrokerTransportModule.forRoot({ brokers: config.brokers, isGlobal: true }),
        ExecutionEngineModule.forRoot(),
      ],
    }).compile();
    await moduleRef.init();
    const factory = moduleRef.get<BrokerFactory>(BROKER_FACTORY);

    const response = await factory.engineFor('mock', MOCK_GATEWAY_ACCOUNTS.paper).submitIntent(
      testIntent({ ...ON_MOCK_BROKER,
        intentId: 'grpc-module-1',
        orderType: OrderType.MARKET,
        limitPrice: undefined,
        quantity: 1,
      }),
    );

    expect(response).toMatchObject({ intentId: 'grpc-module-1', accepted: true, broker: 'mock' });
    await moduleRef.close();
  });
});
