import { FailSafeCode, OrderStatus } from '@qts/broker-domain';
import { createBrokerForExecution } from './create-broker-for-execution';
import { LiveBroker } from './live-broker';
import { NoopBroker } from './noop-broker';
import { ON_MOCK_BROKER, testIntent } from '@qts/test-support';
import { MockBroker } from '../../../test/mock-broker';

describe('createBrokerForExecution', () => {
  it('returns a LiveBroker around the adapter when live trading is allowed', async () => {
    const adapter = new MockBroker();
    const broker = createBrokerForExecution(true, adapter, 5);

    expect(broker).toBeInstanceOf(LiveBroker);
    expect(broker).not.toBeInstanceOf(MockBroker);
    expect((broker as LiveBroker).guard.maxConsecutiveFailures).toBe(5);
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    expect(adapter.received).toHaveLength(1);
  });

  it('returns a NoopBroker when live trading is not allowed, even with an adapter', async () => {
    const adapter = new MockBroker();
    const broker = createBrokerForExecution(false, adapter);

    const response = await broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'x' }));

    expect(broker).toBeInstanceOf(NoopBroker);
    expect(response).toEqual({
      intentId: 'x',
      accepted: false,
      broker: 'noop',
      status: OrderStatus.REJECTED,
      failSafeCode: FailSafeCode.FS047,
      message: expect.stringContaining('LIVE_TRADING_ENABLED=true'),
    });
    expect(adapter.received).toHaveLength(0);
  });

  it('returns a NoopBroker saying so when there is no adapter', async () => {
    const broker = createBrokerForExecution(true);

    expect(broker).toBeInstanceOf(NoopBroker);
    expect(broker.name).toBe('noop');
    await expect(broker.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({
      failSafeCode: FailSafeCode.FS047,
      message: 'no order adapter is available for this broker',
    });
  });
});
