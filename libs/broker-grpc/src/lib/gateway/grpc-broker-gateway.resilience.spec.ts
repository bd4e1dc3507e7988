import { status } from '@grpc/grpc-js';
import {
  AccountNotFoundError,
  AuthenticationError,
  BrokerTimeoutError,
  BrokerUnavailableError,
  ConnectionStatus,
  InvalidArgumentError,
  NotSupportedError,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { SlidingWindowLimiter } from '@qts/rate-limit';
import { deadlineMsOf, freezeDate } from '../../../test/frozen-date';
import { RecordingLimiter } from '../../../test/recording-limiter';
import { BROKER_ID, GatewayHarness, startGatewayHarness } from '../../../test/gateway-harness';
import { grpcError, WIRE_QUOTE } from '../../../test/scripted-jts-server';
import { waitUntil } from '../../../test/wait-until';
import { BrokerConnectionSource } from '../connection/broker-connection-manager';
import { GrpcBrokerGateway } from './grpc-broker-gateway';

jest.setTimeout(15_000);

describe('GrpcBrokerGateway resilience of reads', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });

  afterAll(() => harness.close());

  afterEach(() => jest.useRealTimers());

  beforeEach(() => {
    harness.server.reset();
    harness.limiter.acquired.length = 0;
    harness.limiter.timeouts.length = 0;
    harness.limiter.grant = true;
  });

  /** getQuote fails with `code` for the first `failures` calls, then answers. */
  function failQuoteTimes(failures: number, code = status.UNAVAILABLE): void {
    harness.server.handlers.getQuote = (call, callback) => {
      if (harness.server.calls.getQuote <= failures) callback(grpcError(code, 'JTS broker session down'));
      else callback(null, { ...WIRE_QUOTE, symbol: call.request.symbol });
    };
  }

  describe('retries (reads only, UNAVAILABLE only)', () => {
    it('retries a read twice on UNAVAILABLE, taking a new permit each time, then succeeds', async () => {
      failQuoteTimes(2);

      const quote = await harness.gateway().getQuote('005930');

      expect(quote.symbol).toBe('005930');
      expect(harness.server.calls.getQuote).toBe(3);
      expect(harness.limiter.acquired).toEqual(['getQuote', 'getQuote', 'getQuote']);
    });

    it('gives up after the retry budget with BrokerUnavailable', async () => {
      failQuoteTimes(10);

      await expect(harness.gateway().getQuote('005930')).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(harness.server.calls.getQuote).toBe(3);
    });

    it('honours a smaller budget', async () => {
      failQuoteTimes(10);

      await expect(harness.gateway({ readRetries: 0 }).getBalance('50012345-01')).resolves.toBeDefined();
      await expect(harness.gateway({ readRetries: 0 }).getQuote('005930')).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(harness.server.calls.getQuote).toBe(1);
    });

    it('never retries past the overall deadline', async () => {
      failQuoteTimes(10);
      // The clock and the backoff timers are fake (the calls still go over the real socket): the retries happen
      // at exact times, however loaded the machine is.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'] });
      let backoffs = 0;
      const gateway = harness.gateway({
        deadlineMs: 3_000,
        readRetries: 5,
        retryBackoff: { initialMs: 2_000, maxMs: 2_000, jitter: 0 },
        random: () => (backoffs += 1, 0.5), // drawn as each backoff starts
      });

      const outcome = gateway.getQuote('005930').catch((e: unknown) => e);
      // Two draws after the first failure: the progress probe for the abandoned request, then the retry's backoff
      // (whose timer is armed right after its draw).
      await settled(() => backoffs === 2);
      await jest.advanceTimersByTimeAsync(1_999);
      expect(harness.server.calls.getQuote).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      // 1st call at 0, the backoff of 2 s, the 2nd call at 2 s; a 3rd would start at 4 s, past the 3 s deadline.
      await expect(outcome).resolves.toBeInstanceOf(BrokerUnavailableError);
      expect(harness.server.calls.getQuote).toBe(2);
    });

    it('stops retrying when no permit comes before the deadline', async () => {
      failQuoteTimes(10);
      const limiter = new RecordingLimiter();
      const acquireLease = limiter.acquireLease.bind(limiter);
      limiter.acquireLease = async (operation, options) => (limiter.acquired.length === 0 ? acquireLease(operation, options) : (limiter.acquired.push(operation), null));

      await expect(harness.gateway({ limiter }).getQuote('005930')).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(harness.server.calls.getQuote).toBe(1);
      expect(limiter.acquired).toHaveLength(2);
      // The one sent got UNAVAILABLE: no answer, so it may still reach the broker.
      expect(limiter.outcomes()).toEqual(['abandoned']);
    });

    it.each([
      [status.DEADLINE_EXCEEDED, BrokerTimeoutError],
      [status.INTERNAL, BrokerUnavailableError],
      [status.RESOURCE_EXHAUSTED, RateLimitExceededError],
    ])('does not retry status %s', async (code, expected) => {
      failQuoteTimes(10, code);

      await expect(harness.gateway().getQuote('005930')).rejects.toBeInstanceOf(expected);
      expect(harness.server.calls.getQuote).toBe(1);
    });

    it('retries a candle stream that fails before its first candle', async () => {
      harness.server.handlers.getCandles = (call) => {
        if (harness.server.calls.getCandles === 1) {
          call.emit('error', grpcError(status.UNAVAILABLE, 'not yet'));
          return;
        }
        call.write({
          symbol: '005930', timeframe: '1d', timestamp: '2024-01-02T00:00:00.000Z',
          open: '1', high: '2', low: '1', close: '2', volume: 5,
        });
        call.end();
      };

      const candles = await harness.gateway().getCandles('005930', '1d', new Date('2024-01-01'), new Date('2024-01-31'));

      expect(candles).toHaveLength(1);
      expect(harness.server.calls.getCandles).toBe(2);
      expect(harness.limiter.acquired).toEqual(['getCandles', 'getCandles']);
    });
  });

  describe('deadline', () => {
    it('a read that outlives its deadline is BrokerTimeout, the call carrying that deadline', async () => {
      const deadlines: number[] = [];
      harness.server.handlers.getQuote = (call) => void deadlines.push(deadlineMsOf(call)); // never answers
      freezeDate();

      const error = await harness.gateway({ deadlineMs: 150 }).getQuote('005930').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BrokerTimeoutError);
      // Exactly the configured deadline (the date stands still), and no retry after it passed.
      expect(deadlines).toEqual([150]);
    });

    /** A limiter whose grant comes `waitMs` (of frozen time) after the call asked for it. */
    function slowLimiter(waitMs: number): RecordingLimiter {
      const limiter = new RecordingLimiter();
      const acquireLease = limiter.acquireLease.bind(limiter);
      limiter.acquireLease = async (operation, options) => {
        jest.setSystemTime(Date.now() + waitMs);
        return acquireLease(operation, options);
      };
      return limiter;
    }

    it('one deadline per read: the permit wait counts, and the call gets what is left of it', async () => {
      const deadlines: number[] = [];
      harness.server.handlers.getQuote = (call, callback) => {
        deadlines.push(deadlineMsOf(call));
        callback(null, { ...WIRE_QUOTE, symbol: call.request.symbol });
      };
      freezeDate();
      const limiter = slowLimiter(1_200);

      await harness.gateway({ deadlineMs: 2_000, acquireTimeoutMs: 10_000, limiter }).getQuote('005930');

      // The permit may take nine tenths of the deadline, not the 10 s acquire timeout; the call the remaining 800 ms.
      expect(limiter.timeouts).toEqual([1_800]);
      expect(deadlines).toEqual([800]);
    });

    it('a read whose permit does not come within its deadline is refused RATE_LIMITED, nothing sent', async () => {
      harness.limiter.grant = false;
      freezeDate();

      const error = await harness.gateway({ deadlineMs: 1_000, acquireTimeoutMs: 10_000 }).getQuote('005930').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect((error as RateLimitExceededError).message).toContain('within 900 ms');
      expect((error as RateLimitExceededError).details).toMatchObject({ source: 'client' });
      expect(harness.limiter.timeouts).toEqual([900]);
      expect(harness.server.calls.getQuote).toBe(0);
    });

    it('a shorter acquire timeout still bounds the permit wait', async () => {
      harness.limiter.grant = false;

      await expect(harness.gateway({ deadlineMs: 5_000, acquireTimeoutMs: 200 }).getQuote('005930')).rejects.toBeInstanceOf(
        RateLimitExceededError,
      );
      expect(harness.limiter.timeouts).toEqual([200]);
    });

    it('a candle stream counts its permit wait in its own deadline', async () => {
      const deadlines: number[] = [];
      harness.server.handlers.getCandles = (call) => {
        deadlines.push(deadlineMsOf(call));
        call.end();
      };
      freezeDate();
      const limiter = slowLimiter(3_000);

      await harness.gateway({ streamDeadlineMs: 20_000, acquireTimeoutMs: 10_000, limiter }).getCandles(
        '005930',
        '1d',
        new Date('2024-01-01'),
        new Date('2024-01-31'),
      );

      expect(limiter.timeouts).toEqual([10_000]);
      expect(deadlines).toEqual([17_000]);
    });

    it('candle streams have their own, longer deadline', async () => {
      harness.server.handlers.getCandles = (call) => {
        setTimeout(() => call.end(), 300);
      };

      await expect(
        harness.gateway({ deadlineMs: 100, streamDeadlineMs: 5_000 }).getCandles('005930', '1d', new Date('2024-01-01'), new Date('2024-01-31')),
      ).resolves.toEqual([]);
      await expect(
        harness.gateway({ deadlineMs: 5_000, streamDeadlineMs: 100 }).getCandles('005930', '1d', new Date('2024-01-01'), new Date('2024-01-31')),
      ).rejects.toBeInstanceOf(BrokerTimeoutError);
    });

    it('rejects invalid timing options naming the field', () => {
      expect(() => harness.gateway({ deadlineMs: 0 })).toThrow(expect.objectContaining({ field: 'deadlineMs' }));
      expect(() => harness.gateway({ streamDeadlineMs: Number.NaN })).toThrow(expect.objectContaining({ field: 'streamDeadlineMs' }));
      expect(() => harness.gateway({ acquireTimeoutMs: -1 })).toThrow(expect.objectContaining({ field: 'acquireTimeoutMs' }));
      expect(() => harness.gateway({ readRetries: 1.5 })).toThrow(expect.objectContaining({ field: 'readRetries' }));
    });
  });

  describe('telling the connection manager', () => {
    it('reports timeouts and UNAVAILABLE (so it re-probes at once), not refusals', async () => {
      const reportFailure = jest.spyOn(harness.manager, 'reportFailure');
      try {
        harness.server.handlers.getQuote = () => undefined;
        await expect(harness.gateway({ deadlineMs: 100 }).getQuote('005930')).rejects.toBeInstanceOf(BrokerTimeoutError);
        expect(reportFailure).toHaveBeenLastCalledWith(BROKER_ID, 'getQuote failed with DEADLINE_EXCEEDED');

        harness.server.reset();
        failQuoteTimes(1);
        await harness.gateway().getQuote('005930');
        expect(reportFailure).toHaveBeenLastCalledWith(BROKER_ID, 'getQuote failed with UNAVAILABLE');

        reportFailure.mockClear();
        harness.server.handlers.getBalance = (_call, callback) => callback(grpcError(status.NOT_FOUND, 'no account'));
        await expect(harness.gateway().getBalance('X')).rejects.toBeInstanceOf(AccountNotFoundError);
        expect(reportFailure).not.toHaveBeenCalled();
      } finally {
        reportFailure.mockRestore();
      }
    });
  });

  describe('error statuses of reads', () => {
    it.each([
      ['getQuote', status.NOT_FOUND, { 'jts-error-code': 'SYMBOL_NOT_FOUND' }, SymbolNotFoundError],
      ['getBalance', status.NOT_FOUND, { 'jts-error-code': 'ACCOUNT_NOT_FOUND' }, AccountNotFoundError],
      ['getQuote', status.INVALID_ARGUMENT, {}, InvalidArgumentError],
      ['getBalance', status.UNAUTHENTICATED, {}, AuthenticationError],
      ['getQuote', status.UNIMPLEMENTED, {}, NotSupportedError],
      ['getBalance', status.CANCELLED, {}, BrokerUnavailableError],
    ] as const)('%s answered %s %j -> %p', async (operation, code, metadata, expected) => {
      const error = grpcError(code, 'refused', metadata);
      harness.server.handlers.getQuote = (_call, callback) => callback(error);
      harness.server.handlers.getBalance = (_call, callback) => callback(error);
      const gateway = harness.gateway();

      const call = operation === 'getQuote' ? gateway.getQuote('005930') : gateway.getBalance('50012345-01');

      await expect(call).rejects.toBeInstanceOf(expected);
    });
  });

  describe('rate limit: a permit per call, before anything is sent', () => {
    it('takes each permit under the operation name of the call', async () => {
      const gateway = harness.gateway();

      await gateway.getSymbols();
      await gateway.getQuote('005930');
      await gateway.getBalance('50012345-01');
      await gateway.getPositions('50012345-01');
      await gateway.getOrderStatus('ORD-1');
      await gateway.getCandles('005930', '1m', new Date('2024-01-02T00:00:00Z'), new Date('2024-01-02T06:29:00Z'));

      expect(harness.limiter.acquired).toEqual(['getSymbols', 'getQuote', 'getBalance', 'getPositions', 'getOrderStatus', 'getCandles']);
    });

    it('with a real sliding-window limiter, the call over the limit fails fast with RateLimitExceeded', async () => {
      const limiter = new SlidingWindowLimiter({ rules: [{ id: 'requests', limit: 2, windowMs: 60_000 }] });
      const gateway = harness.gateway({ limiter, acquireTimeoutMs: 0 });

      await gateway.getQuote('005930');
      await gateway.getBalance('50012345-01');
      const error = (await gateway.getQuote('005930').catch((e: unknown) => e)) as RateLimitExceededError;

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect(error.retryAfterMs).toBeGreaterThan(59_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect(harness.server.calls.getQuote + harness.server.calls.getBalance).toBe(2);
      limiter.close();
    });
  });

  describe('fail fast', () => {
    it('every call throws BrokerUnavailable at once while the manager reports DISCONNECTED', async () => {
      const source: BrokerConnectionSource = {
        getConnection: () => harness.manager.getConnection(BROKER_ID),
        getStatus: () => ConnectionStatus.DISCONNECTED,
        reportFailure: () => undefined,
        onStatusChange: () => () => undefined,
      };
      const gateway = harness.gateway({ connections: source });
      const start = new Date('2024-01-02');

      const calls: Promise<unknown>[] = [
        gateway.getSymbols(),
        gateway.getQuote('005930'),
        gateway.getBalance('A'),
        gateway.getPositions('A'),
        gateway.getOrderStatus('ORD-1'),
        gateway.findOrderByClientOrderId('c-1'),
        gateway.getCandles('005930', '1d', start, start),
        collect(gateway.streamQuotes(['005930'])),
      ];

      for (const call of calls) await expect(call).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(harness.limiter.acquired).toEqual([]);
    });

    it('a broker without a connection is unavailable', async () => {
      const gateway = new GrpcBrokerGateway({
        brokerId: 'nowhere',
        brokerType: harness.gateway().brokerType,
        connections: harness.manager,
        limiter: harness.limiter,
      });

      await expect(gateway.getQuote('005930')).rejects.toMatchObject({
        constructor: BrokerUnavailableError,
        details: expect.objectContaining({ status: ConnectionStatus.DISCONNECTED }),
      });
    });

    it('when the server goes away the broker turns DISCONNECTED and calls fail fast; it recovers by itself', async () => {
      const own = await startGatewayHarness();
      try {
        // An hour: a call that tried the dead server and waited for its deadline would time the test out.
        const gateway = own.gateway({ deadlineMs: 3_600_000 });
        await gateway.getQuote('005930');

        own.server.stop();
        await waitUntil(() => own.manager.getStatus(BROKER_ID) === ConnectionStatus.DISCONNECTED, 'the broker is DISCONNECTED');
        const permitsBefore = own.limiter.acquired.length;
        await expect(gateway.getQuote('005930')).rejects.toBeInstanceOf(BrokerUnavailableError);
        // At once: no permit spent, no connection attempt, no deadline waited for.
        expect(own.limiter.acquired.length).toBe(permitsBefore);

        await own.server.restart();
        await waitUntil(() => own.manager.getStatus(BROKER_ID) === ConnectionStatus.CONNECTED, 'the broker is CONNECTED again');
        await expect(gateway.getQuote('005930')).resolves.toMatchObject({ symbol: '005930' });
      } finally {
        own.close();
      }
    });
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Lets real I/O run (setImmediate turns, not timers, so it works under fake timers) until `condition` holds. */
async function settled(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the condition did not hold after the I/O turns allowed');
}
