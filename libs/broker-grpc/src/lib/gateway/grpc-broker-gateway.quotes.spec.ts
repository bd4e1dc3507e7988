import { status } from '@grpc/grpc-js';
import { BrokerUnavailableError, ConnectionStatus, InvalidArgumentError, Quote, RateLimitExceededError } from '@qts/broker-domain';
import { BROKER_ID, GatewayHarness, startGatewayHarness } from '../../../test/gateway-harness';
import { grpcError } from '../../../test/scripted-jts-server';
import { waitUntil } from '../../../test/wait-until';

jest.setTimeout(20_000);

describe('GrpcBrokerGateway.streamQuotes', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness();
  });

  afterEach(() => harness.close());

  it('yields domain quotes for every symbol and ends when the signal aborts, cancelling the call', async () => {
    let cancelled = false;
    const defaultHandler = harness.server.handlers.streamQuotes;
    harness.server.handlers.streamQuotes = (call) => {
      call.on('cancelled', () => (cancelled = true));
      defaultHandler(call);
    };
    const controller = new AbortController();
    const quotes: Quote[] = [];

    for await (const quote of harness.gateway().streamQuotes(['005930', '000660'], { signal: controller.signal })) {
      quotes.push(quote);
      if (quotes.length === 4) controller.abort();
    }

    expect(harness.server.requests.streamQuotes).toEqual([{ symbols: ['005930', '000660'] }]);
    expect(quotes.map((q) => q.symbol)).toEqual(['005930', '000660', '005930', '000660']);
    expect(quotes[0]).toBeInstanceOf(Quote);
    expect(quotes[0].price.toFixed()).toBe('71500');
    expect(harness.limiter.acquired).toEqual(['streamQuotes']);
    await waitUntil(() => cancelled, 'the server saw the call cancelled');
  });

  it('stopping the iteration (break / return()) cancels the gRPC call', async () => {
    let cancelled = false;
    const defaultHandler = harness.server.handlers.streamQuotes;
    harness.server.handlers.streamQuotes = (call) => {
      call.on('cancelled', () => (cancelled = true));
      defaultHandler(call);
    };

    const iterator = harness.gateway().streamQuotes(['005930'])[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();

    await waitUntil(() => cancelled, 'the server saw the call cancelled');
  });

  it('an already aborted signal yields nothing and sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();

    const quotes: Quote[] = [];
    for await (const quote of harness.gateway().streamQuotes(['005930'], { signal: controller.signal })) quotes.push(quote);

    expect(quotes).toEqual([]);
    expect(harness.limiter.acquired).toEqual([]);
  });

  it('resubscribes after the server went away and came back, taking a new permit, until aborted', async () => {
    const controller = new AbortController();
    const gateway = harness.gateway({ resubscribeBackoff: { initialMs: 20, maxMs: 200 } });
    const quotes: Quote[] = [];
    let stopped = false;

    for await (const quote of gateway.streamQuotes(['005930'], { signal: controller.signal })) {
      quotes.push(quote);
      if (quotes.length === 2 && !stopped) {
        stopped = true;
        harness.server.stop();
        setTimeout(() => void harness.server.restart(), 300);
      }
      if (harness.server.calls.streamQuotes === 2 && quotes.length >= 4) controller.abort();
    }

    expect(harness.server.calls.streamQuotes).toBe(2);
    expect(harness.limiter.acquired).toEqual(['streamQuotes', 'streamQuotes']);
    expect(quotes.length).toBeGreaterThanOrEqual(4);
  });

  it('resubscribes when the stream breaks with UNAVAILABLE', async () => {
    harness.server.handlers.streamQuotes = (call) => {
      if (harness.server.calls.streamQuotes === 1) {
        call.emit('error', grpcError(status.UNAVAILABLE, 'KIS websocket dropped'));
        return;
      }
      call.write({ ...quoteFor('005930') });
      call.end();
    };

    const quotes: Quote[] = [];
    for await (const quote of harness.gateway({ resubscribeBackoff: { initialMs: 5, maxMs: 20 } }).streamQuotes(['005930'])) {
      quotes.push(quote);
    }

    expect(quotes).toHaveLength(1);
    expect(harness.server.calls.streamQuotes).toBe(2);
  });

  it('aborting while waiting for the broker to come back ends the iteration', async () => {
    const controller = new AbortController();
    const quotes: Quote[] = [];
    const iteration = (async () => {
      for await (const quote of harness.gateway().streamQuotes(['005930'], { signal: controller.signal })) {
        quotes.push(quote);
        if (quotes.length === 1) harness.server.stop();
      }
    })();

    await waitUntil(() => harness.manager.getStatus(BROKER_ID) === ConnectionStatus.DISCONNECTED, 'the broker is DISCONNECTED');
    controller.abort();

    await expect(iteration).resolves.toBeUndefined();
    expect(harness.server.calls.streamQuotes).toBe(1);
  });

  it('a broker disconnected on purpose while the stream waits ends it with BrokerUnavailable', async () => {
    const quotes: Quote[] = [];
    const iteration = (async () => {
      for await (const quote of harness.gateway({ resubscribeBackoff: { initialMs: 20, maxMs: 50 } }).streamQuotes(['005930'])) {
        quotes.push(quote);
        if (quotes.length === 1) harness.server.stop();
      }
    })();

    await waitUntil(() => harness.manager.getStatus(BROKER_ID) === ConnectionStatus.DISCONNECTED, 'the broker is DISCONNECTED');
    harness.manager.disconnect(BROKER_ID);

    await expect(iteration).rejects.toBeInstanceOf(BrokerUnavailableError);
  });

  it('disconnecting the broker (shutdown) ends a running stream at once with BrokerUnavailable', async () => {
    let cancelled = false;
    const defaultHandler = harness.server.handlers.streamQuotes;
    harness.server.handlers.streamQuotes = (call) => {
      call.on('cancelled', () => (cancelled = true));
      defaultHandler(call);
    };
    const quotes: Quote[] = [];

    const iteration = (async () => {
      for await (const quote of harness.gateway().streamQuotes(['005930'])) {
        quotes.push(quote);
        if (quotes.length === 2) harness.manager.disconnect(BROKER_ID);
      }
    })();

    await expect(iteration).rejects.toMatchObject({ constructor: BrokerUnavailableError, message: "Broker 'kis' was disconnected" });
    expect(quotes).toHaveLength(2);
    await waitUntil(() => cancelled, 'the server saw the call cancelled');
  });

  it('other failures end the stream with the mapped domain error', async () => {
    harness.server.handlers.streamQuotes = (call) =>
      call.emit('error', grpcError(status.NOT_FOUND, 'unknown symbol 999999', { 'jts-error-code': 'SYMBOL_NOT_FOUND' }));

    await expect(collect(harness.gateway().streamQuotes(['999999']))).rejects.toMatchObject({ code: 'SYMBOL_NOT_FOUND' });
    expect(harness.server.calls.streamQuotes).toBe(1);
  });

  it('a stream the server ends normally ends the iteration', async () => {
    harness.server.handlers.streamQuotes = (call) => {
      call.write(quoteFor('005930'));
      call.end();
    };

    await expect(collect(harness.gateway().streamQuotes(['005930']))).resolves.toHaveLength(1);
  });

  it.each([
    ['no symbols', [] as string[]],
    ['a bad symbol', ['005930', 'SAMSUNG']],
  ])('rejects %s with InvalidArgumentError', async (_case, symbols) => {
    await expect(collect(harness.gateway().streamQuotes(symbols))).rejects.toMatchObject({
      constructor: InvalidArgumentError,
      field: 'symbols',
    });
  });

  it('no permit in time: RateLimitExceeded', async () => {
    harness.limiter.grant = false;

    await expect(collect(harness.gateway().streamQuotes(['005930']))).rejects.toBeInstanceOf(RateLimitExceededError);
    expect(harness.server.calls.streamQuotes).toBe(0);
  });
});

function quoteFor(symbol: string) {
  return {
    symbol,
    price: '100',
    open: '',
    high: '',
    low: '',
    previousClose: '',
    change: '0',
    changeRate: '0',
    bid: '99',
    ask: '100',
    bidSize: 1,
    askSize: 1,
    volume: 1,
    timestamp: '2024-01-02T00:00:00Z',
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
