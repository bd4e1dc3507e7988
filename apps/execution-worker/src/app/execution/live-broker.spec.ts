import {
  BrokerUnavailableError,
  ExecutionResponse,
  FailSafeCode,
  OrderOutcomeUnknownError,
  OrderStatus,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { LiveBroker } from './live-broker';
import { OrderAdapterBrokerEngine } from './order-adapter-broker-engine';
import { StubOrderAdapter } from '../../../test/stub-order-adapter';
import { ON_MOCK_BROKER, testIntent } from '@qts/test-support';
import { MockBroker } from '../../../test/mock-broker';

function refused(failSafeCode: FailSafeCode): ExecutionResponse {
  return {
    intentId: '',
    accepted: false,
    broker: 'kis',
    status: OrderStatus.REJECTED,
    failSafeCode,
    message: `refused ${failSafeCode}`,
  };
}

describe('LiveBroker', () => {
  it('is named live and passes accepted answers through', async () => {
    const inner = new MockBroker();
    const broker = new LiveBroker(inner);

    const response = await broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'a' }));

    expect(broker.name).toBe('live');
    expect(response).toMatchObject({ intentId: 'a', accepted: true, broker: 'mock' });
    expect(inner.received).toHaveLength(1);
  });

  it('trips after three broker failures and then refuses with failsafe/FS046 without calling the adapter', async () => {
    const inner = new MockBroker().answerNext(
      refused(FailSafeCode.FS044),
      refused(FailSafeCode.FS043),
      refused(FailSafeCode.FS045),
    );
    const broker = new LiveBroker(inner);
    for (let i = 0; i < 3; i += 1) {
      await broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: `f${i}` }));
    }

    const response = await broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'after-trip' }));

    expect(response).toMatchObject({
      intentId: 'after-trip',
      accepted: false,
      broker: 'failsafe',
      failSafeCode: FailSafeCode.FS046,
      status: OrderStatus.REJECTED,
    });
    expect(response.message).toContain('3 consecutive broker failures');
    expect(response.message).toContain('FS045');
    expect(inner.received).toHaveLength(3);
    expect(broker.guard.tripped).toBe(true);
  });

  it('counts FS049 and answers without a valid code as broker failures', async () => {
    const inner = new MockBroker().answerNext(refused(FailSafeCode.FS049), {
      intentId: '',
      accepted: false,
      broker: 'x',
      message: 'no code',
    });
    const broker = new LiveBroker(inner, 2);

    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));

    expect(broker.guard.tripped).toBe(true);
  });

  it('resets the count on a success', async () => {
    const inner = new MockBroker().answerNext(refused(FailSafeCode.FS044), refused(FailSafeCode.FS044));
    const broker = new LiveBroker(inner);
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    inner.answerNext(refused(FailSafeCode.FS044), refused(FailSafeCode.FS044));
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));

    expect(broker.guard.tripped).toBe(false);
    expect(broker.guard.consecutiveFailures).toBe(2);
  });

  it.each([FailSafeCode.FS040, FailSafeCode.FS041, FailSafeCode.FS048])(
    'does not count business rejections (%s) of a working broker',
    async (code) => {
      const inner = new MockBroker().answerNext(refused(code), refused(code), refused(code), refused(code));
      const broker = new LiveBroker(inner);
      for (let i = 0; i < 4; i += 1) {
        await broker.submitIntent(testIntent(ON_MOCK_BROKER));
      }

      expect(broker.guard.tripped).toBe(false);
      expect(broker.guard.consecutiveFailures).toBe(0);
      expect(inner.received).toHaveLength(4);
    },
  );

  it('counts a thrown error and re-throws it unchanged, OrderOutcomeUnknownError included', async () => {
    const unknown = new OrderOutcomeUnknownError('timeout', { clientOrderId: 'intent-1' });
    const inner = new MockBroker().answerNext(unknown, new BrokerUnavailableError('down'), unknown);
    const broker = new LiveBroker(inner);

    await expect(broker.submitIntent(testIntent(ON_MOCK_BROKER))).rejects.toBe(unknown);
    await expect(broker.submitIntent(testIntent(ON_MOCK_BROKER))).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(broker.submitIntent(testIntent(ON_MOCK_BROKER))).rejects.toBe(unknown);

    expect(broker.guard.tripped).toBe(true);
    await expect(broker.submitIntent(testIntent(ON_MOCK_BROKER))).resolves.toMatchObject({ broker: 'failsafe' });
  });

  it('neither counts nor clears on dry runs', async () => {
    const inner = new MockBroker().answerNext(refused(FailSafeCode.FS044), {
      intentId: '',
      accepted: true,
      broker: 'kis',
      dryRun: true,
      message: 'dry run',
    });
    const broker = new LiveBroker(inner);

    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));

    expect(broker.guard.consecutiveFailures).toBe(1);
  });

  it('accepts intents again after reset()', async () => {
    const inner = new MockBroker().answerNext(refused(FailSafeCode.FS044));
    const broker = new LiveBroker(inner, 1);
    await broker.submitIntent(testIntent(ON_MOCK_BROKER));
    expect(broker.guard.tripped).toBe(true);

    broker.reset();
    const response = await broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'after-reset' }));

    expect(response).toMatchObject({ intentId: 'after-reset', accepted: true });
    expect(inner.received).toHaveLength(2);
  });

  it('keeps refusing when an order sent before the trip succeeds afterwards', async () => {
    let release: (value: ExecutionResponse) => void = () => undefined;
    const slow = new Promise<ExecutionResponse>((resolve) => {
      release = resolve;
    });
    const inner = new MockBroker();
    const broker = new LiveBroker(
      {
        name: 'inner',
        submitIntent: (intent) => (intent.intentId === 'slow' ? slow : inner.submitIntent(intent)),
      },
      1,
    );
    const inFlight = broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'slow' }));
    inner.answerNext(refused(FailSafeCode.FS044));
    await broker.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'fails' }));

    release({ intentId: 'slow', accepted: true, broker: 'kis', message: 'ok' });
    await inFlight;

    expect(broker.guard.tripped).toBe(true);
  });

  describe('rate limits (through the order-adapter engine)', () => {
    const noPermit = () =>
      new RateLimitExceededError("No rate-limit permit for placeOrder on broker 'stub' within 10000 ms", {
        retryAfterMs: 800,
        details: { brokerId: 'stub', operation: 'placeOrder', source: 'client' },
      });
    const brokerSaysTooMany = () =>
      new RateLimitExceededError('[EGW00201] too many requests per second', {
        retryAfterMs: 1_000,
        details: { brokerId: 'stub', brokerCode: 'EGW00201' },
      });
    const stubIntent = (intentId: string) => testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub', intentId });

    it('does not count a permit that timed out here (FS043, nothing reached the broker), nor clear the count', async () => {
      const adapter = new StubOrderAdapter().answerNext(new BrokerUnavailableError('JTS down'), noPermit(), noPermit(), noPermit());
      const broker = new LiveBroker(new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' }));

      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await broker.submitIntent(stubIntent(`rl-${i}`)));

      expect(answers.slice(1).map((answer) => answer.failSafeCode)).toEqual(['FS043', 'FS043', 'FS043']);
      expect(broker.guard.tripped).toBe(false);
      expect(broker.guard.consecutiveFailures).toBe(1);
      await expect(broker.submitIntent(stubIntent('after'))).resolves.toMatchObject({ accepted: true });
    });

    it("counts the broker's own rate-limit refusals: three in a row trip it", async () => {
      const adapter = new StubOrderAdapter().answerNext(brokerSaysTooMany(), brokerSaysTooMany(), brokerSaysTooMany());
      const broker = new LiveBroker(new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' }));

      for (let i = 0; i < 3; i += 1) await broker.submitIntent(stubIntent(`egw-${i}`));

      expect(broker.guard.tripped).toBe(true);
      await expect(broker.submitIntent(stubIntent('refused'))).resolves.toMatchObject({ failSafeCode: FailSafeCode.FS046 });
      expect(adapter.placed).toHaveLength(3);
    });
  });
});
