import { status } from '@grpc/grpc-js';
import { ConnectionStatus, Decimal, OrderSide, OrderType, type PlaceOrderCommand } from '@qts/broker-domain';
import { brokerConfig } from '../../../test/broker-config-fixture';
import { BROKER_ID, GatewayHarness, startGatewayHarness } from '../../../test/gateway-harness';
import { RecordingLimiter } from '../../../test/recording-limiter';
import { grpcError, WIRE_QUOTE, wireCandle } from '../../../test/scripted-jts-server';
import { waitUntil } from '../../../test/wait-until';
import { createBrokerConnection } from '../connection/broker-connection';
import { BrokerConnectionSource } from '../connection/broker-connection-manager';
import { GrpcBrokerGateway } from './grpc-broker-gateway';

jest.setTimeout(15_000);

const LIMIT_BUY: PlaceOrderCommand = {
  accountId: '50012345-01',
  symbol: '005930',
  side: OrderSide.BUY,
  orderType: OrderType.LIMIT,
  quantity: 10,
  price: new Decimal('71500'),
  clientOrderId: 'lease-test-1',
};

/**
 * Every call settles its rate-limit lease exactly once, in every path, with the outcome that keeps
 * the broker's windows exact: answered (an answer or a status the server sent), unsent (nothing
 * left), abandoned (no answer: the request may still arrive; proven later by a health check).
 */
describe('GrpcBrokerGateway rate-limit leases', () => {
  let harness: GatewayHarness;
  const start = new Date('2024-01-02T00:00:00Z');
  const end = new Date('2024-01-02T06:30:00Z');

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });

  afterAll(() => harness.close());

  beforeEach(() => {
    harness.server.reset();
    harness.limiter = new RecordingLimiter();
  });

  it('an answered read settles answered, after marking the send', async () => {
    await harness.gateway().getQuote('005930');
    expect(harness.limiter.outcomes()).toEqual(['answered']);
    expect(harness.limiter.leases[0].sends).toBe(1);
  });

  it.each([
    ['NOT_FOUND', status.NOT_FOUND],
    ['RESOURCE_EXHAUSTED', status.RESOURCE_EXHAUSTED],
    ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
  ])('a status the server sent (%s) is an answer', async (_name, code) => {
    harness.server.handlers.getQuote = (_call, callback) => callback(grpcError(code, 'refused'));
    await expect(harness.gateway().getQuote('005930')).rejects.toBeDefined();
    expect(harness.limiter.outcomes()).toEqual(['answered']);
  });

  it('a malformed answer is still an answer', async () => {
    harness.server.handlers.getQuote = (_call, callback) =>
      callback(null, { ...WIRE_QUOTE, symbol: '000660' });
    await expect(harness.gateway().getQuote('005930')).rejects.toThrow('could not be read');
    expect(harness.limiter.outcomes()).toEqual(['answered']);
  });

  it('a read retried on UNAVAILABLE abandons the first lease and takes a new one', async () => {
    let calls = 0;
    harness.server.handlers.getQuote = (call, callback) =>
      ++calls === 1
        ? callback(grpcError(status.UNAVAILABLE, 'busy'))
        : callback(null, { ...WIRE_QUOTE, symbol: call.request.symbol });
    await harness.gateway().getQuote('005930');
    // The retry's answer came on the same connection after the first: it proves the first arrived.
    expect(harness.limiter.outcomes()).toEqual(['abandoned', 'answered']);
  });

  it('a call that gets no answer before its deadline is abandoned, until a health check sent after it is answered', async () => {
    harness.server.handlers.getBalance = () => undefined; // a hung broker: never answers
    const gateway = harness.gateway({ deadlineMs: 300, progressProbeBackoff: { initialMs: 20, maxMs: 50 } });
    await expect(gateway.getBalance('50012345-01')).rejects.toBeDefined();
    const [lease] = harness.limiter.leases;
    expect(lease.outcome).toBe('abandoned');
    await waitUntil(() => harness.limiter.unanswered === 0, 'the health check proved the request arrived');
    expect(harness.limiter.confirmations.every((sentAt) => sentAt > lease.sentAt)).toBe(true);
  });

  it('keeps an abandoned lease unproven while the broker does not answer health checks either', async () => {
    harness.server.handlers.getBalance = () => undefined;
    harness.server.healthDelayMs = 60_000;
    const gateway = harness.gateway({ deadlineMs: 200, progressProbeBackoff: { initialMs: 20, maxMs: 50 } });
    await expect(gateway.getBalance('50012345-01')).rejects.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(harness.limiter.unanswered).toBe(1);
    expect(harness.limiter.confirmations).toEqual([]);
    harness.server.healthDelayMs = 0;
    await waitUntil(() => harness.limiter.unanswered === 0, 'proven once the broker answers again');
  });

  it('an order that timed out is abandoned; one answered is answered', async () => {
    await harness.gateway().placeOrder(LIMIT_BUY);
    harness.server.handlers.placeOrder = () => undefined;
    await expect(
      harness.gateway({ deadlineMs: 200 }).placeOrder({ ...LIMIT_BUY, clientOrderId: 'lease-test-2' }),
    ).rejects.toBeDefined();
    expect(harness.limiter.outcomes('placeOrder')).toEqual(['answered', 'abandoned']);
  });

  it('an order on a channel that cannot connect was never sent: unsent', async () => {
    const connection = createBrokerConnection('ghost', brokerConfig('ghost', 1).grpc);
    const limiter = new RecordingLimiter();
    const source: BrokerConnectionSource = {
      getConnection: () => connection,
      getStatus: () => ConnectionStatus.CONNECTED,
      reportFailure: () => undefined,
      onStatusChange: () => () => undefined,
    };
    const gateway = new GrpcBrokerGateway({
      brokerId: 'ghost',
      brokerType: brokerConfig('ghost', 1).type,
      connections: source,
      limiter,
    });
    try {
      await expect(gateway.placeOrder(LIMIT_BUY)).rejects.toBeDefined();
      expect(limiter.outcomes()).toEqual(['unsent']);
      expect(limiter.leases[0].sends).toBe(0);
    } finally {
      connection.channel.close();
    }
  });

  it('a broker that went DISCONNECTED while the call waited for its lease: unsent', async () => {
    let checks = 0;
    const source: BrokerConnectionSource = {
      getConnection: () => harness.manager.getConnection(BROKER_ID),
      // CONNECTED when the call starts, DISCONNECTED once its lease is granted.
      getStatus: () => (++checks === 1 ? ConnectionStatus.CONNECTED : ConnectionStatus.DISCONNECTED),
      reportFailure: () => undefined,
      onStatusChange: () => () => undefined,
    };
    await expect(harness.gateway({ connections: source }).getQuote('005930')).rejects.toBeDefined();
    expect(harness.limiter.outcomes()).toEqual(['unsent']);
    expect(harness.server.calls.getQuote).toBe(0);
  });

  describe('streams', () => {
    it('a candle stream settles answered at its first candle', async () => {
      const seen: (string | undefined)[] = [];
      for await (const candle of harness.gateway().streamCandles('005930', '1m', start, end)) {
        seen.push(harness.limiter.leases[0].outcome);
        void candle;
      }
      expect(seen).toEqual(['answered', 'answered', 'answered']);
    });

    it('an empty candle stream that ends normally is answered', async () => {
      harness.server.handlers.getCandles = (call) => call.end();
      await expect(harness.gateway().getCandles('005930', '1m', start, end)).resolves.toEqual([]);
      expect(harness.limiter.outcomes()).toEqual(['answered']);
    });

    it('a candle stream given up before its first candle is abandoned', async () => {
      harness.server.handlers.getCandles = () => undefined; // stays open, sends nothing
      const controller = new AbortController();
      const consuming = (async () => {
        for await (const candle of harness
          .gateway()
          .streamCandles('005930', '1m', start, end, { signal: controller.signal })) {
          void candle;
        }
      })();
      await waitUntil(() => harness.server.calls.getCandles === 1, 'the stream is open');
      controller.abort();
      await consuming;
      expect(harness.limiter.outcomes()).toEqual(['abandoned']);
    });

    it('a candle stream the consumer stops after a candle stays answered', async () => {
      harness.server.handlers.getCandles = (call) => {
        call.write(wireCandle(0));
        call.write(wireCandle(1));
      };
      for await (const candle of harness.gateway().streamCandles('005930', '1m', start, end)) {
        void candle;
        break;
      }
      expect(harness.limiter.outcomes()).toEqual(['answered']);
    });

    it('a quote stream is answered at its first quote, and each resubscription takes and settles its own lease', async () => {
      let subscriptions = 0;
      harness.server.handlers.streamQuotes = (call) => {
        subscriptions++;
        if (subscriptions === 1) {
          call.write({ ...WIRE_QUOTE, volume: 1 });
          call.emit('error', grpcError(status.UNAVAILABLE, 'connection reset'));
          return;
        }
        call.write({ ...WIRE_QUOTE, volume: 2 });
      };
      const gateway = harness.gateway({ resubscribeBackoff: { initialMs: 5, maxMs: 10 } });
      const volumes: number[] = [];
      for await (const quote of gateway.streamQuotes(['005930'])) {
        volumes.push(quote.volume);
        if (volumes.length === 2) break;
      }
      expect(volumes).toEqual([1, 2]);
      expect(harness.limiter.outcomes('streamQuotes')).toEqual(['answered', 'answered']);
    });
  });
});
