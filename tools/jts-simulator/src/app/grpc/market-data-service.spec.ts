import { Metadata, status } from '@grpc/grpc-js';
import { BrokerType, Decimal, MockBrokerGateway } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { waitFor } from '@qts/test-support';
import {
  callOptions,
  capturingLogger,
  collect,
  jtsClients,
  rejectionOf,
  trailer,
  unary,
} from '../../../test/jts-test-clients';
import type { JtsTestClients } from '../../../test/jts-test-clients';
import { JtsSimulator } from '../jts-simulator';
import { toCandleData } from './jts-wire-format';

jest.setTimeout(30_000);

describe('jts.v1.MarketDataService of the simulator', () => {
  const logger = capturingLogger('debug');
  let simulator: JtsSimulator;
  let clients: JtsTestClients;

  beforeAll(async () => {
    simulator = await JtsSimulator.start({
      host: '127.0.0.1',
      adminPort: 0,
      seed: 42,
      quoteIntervalMs: 20,
      logger,
      brokers: [{ id: 'kis', type: BrokerType.KIS, port: 0, rateLimit: 'none', accounts: [] }],
    });
    clients = jtsClients(simulator.brokerAddress('kis'));
  });

  afterAll(async () => {
    clients.close();
    await simulator.stop(0);
  });

  const getQuote = (symbol: string): Promise<jtsV1.QuoteData> =>
    unary((cb) => clients.marketData.getQuote({ symbol }, new Metadata(), callOptions(), cb));

  const candles = (request: jtsV1.GetCandlesRequest): Promise<jtsV1.CandleData[]> =>
    collect(clients.marketData.getCandles(request, callOptions(20_000)));

  it('lists the mock catalogue of real KRX symbols', async () => {
    const response = await unary<jtsV1.GetSymbolsResponse>((cb) =>
      clients.marketData.getSymbols({}, new Metadata(), callOptions(), cb),
    );

    expect(response.symbols.length).toBeGreaterThanOrEqual(20);
    expect(response.symbols).toContainEqual(
      expect.objectContaining({ code: '005930', name: '삼성전자', market: jtsV1.Market.KOSPI }),
    );
  });

  it('streams 10,000+ one-minute candles, identical to the mock broker of the same seed', async () => {
    const request = {
      symbol: '005930',
      timeframe: '1m',
      startTime: '2024-01-02T00:00:00Z',
      endTime: '2024-02-07T06:30:00Z',
    };

    const streamed = await candles(request);

    const reference = await new MockBrokerGateway({ brokerId: 'kis', seed: 42 }).getCandles(
      '005930',
      '1m',
      new Date(request.startTime),
      new Date(request.endTime),
    );
    expect(streamed.length).toBeGreaterThan(10_000);
    expect(streamed).toEqual(reference.map(toCandleData));
    expect(streamed[0]).toMatchObject({ symbol: '005930', timeframe: '1m', timestamp: '2024-01-02T00:00:00.000Z' });
    for (const candle of streamed.slice(0, 500)) {
      expect(new Decimal(candle.high).gte(Decimal.max(candle.open, candle.close))).toBe(true);
      expect(new Decimal(candle.low).lte(Decimal.min(candle.open, candle.close))).toBe(true);
    }
  });

  it('accepts RFC 3339 times with an offset (09:00 KST is 00:00 UTC)', async () => {
    const daily = await candles({
      symbol: '005930',
      timeframe: '1d',
      startTime: '2024-01-02T09:00:00+09:00',
      endTime: '2024-01-05T09:00:00+09:00',
    });

    expect(daily.map((candle) => candle.timestamp)).toEqual([
      '2024-01-02T00:00:00.000Z',
      '2024-01-03T00:00:00.000Z',
      '2024-01-04T00:00:00.000Z',
      '2024-01-05T00:00:00.000Z',
    ]);
  });

  it('stops generating when the client cancels a candle stream', async () => {
    const stream = clients.marketData.getCandles(
      { symbol: '000660', timeframe: '1m', startTime: '2023-01-02T00:00:00Z', endTime: '2024-06-28T06:30:00Z' },
      callOptions(20_000),
    );
    const received: jtsV1.CandleData[] = [];
    const cancelled = new Promise<number>((resolve) => stream.on('error', (error: { code: number }) => resolve(error.code)));
    stream.on('data', (candle: jtsV1.CandleData) => {
      received.push(candle);
      if (received.length === 100) {
        stream.cancel();
      }
    });

    await expect(cancelled).resolves.toBe(status.CANCELLED);
    await waitFor(() => logger.lines.some((line) => line.includes('kis GetCandles') && line.includes('"status":"cancelled"')), {
      timeoutMs: 5_000,
      description: 'the server to end the cancelled candle stream',
    });
    expect(received.length).toBeLessThan(50_000);
  });

  it.each([
    [{ symbol: '999999', timeframe: '1d' }, status.NOT_FOUND, 'SYMBOL_NOT_FOUND', 'not listed'],
    [{ symbol: '005930', timeframe: '2h' }, status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'timeframe'],
    [{ symbol: '', timeframe: '1d' }, status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'symbol'],
    [{ symbol: '005930', timeframe: '1d', startTime: 'yesterday' }, status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'start_time'],
    [{ symbol: '005930', timeframe: '1d', endTime: '2024-02-30T00:00:00Z' }, status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'end_time'],
    [
      { symbol: '005930', timeframe: '1d', startTime: '2024-02-01T00:00:00Z', endTime: '2024-01-01T00:00:00Z' },
      status.INVALID_ARGUMENT,
      'INVALID_ARGUMENT',
      'start',
    ],
  ])('answers a bad candle request %j with its status and error code', async (partial, code, errorCode, mentions) => {
    const error = await rejectionOf(
      candles({ startTime: '2024-01-02T00:00:00Z', endTime: '2024-01-31T00:00:00Z', ...partial } as jtsV1.GetCandlesRequest),
    );

    expect(error.code).toBe(code);
    expect(trailer(error, 'jts-error-code')).toBe(errorCode);
    expect(error.details).toContain(mentions);
  });

  it('quotes a symbol with decimal strings, bid below ask and the price between them', async () => {
    const quote = await getQuote('005930');

    expect(quote.symbol).toBe('005930');
    for (const field of ['price', 'bid', 'ask', 'change', 'changeRate'] as const) {
      expect(quote[field]).toMatch(/^-?\d+(\.\d+)?$/);
    }
    expect(new Decimal(quote.bid).lt(quote.ask)).toBe(true);
    expect(new Decimal(quote.price).gte(quote.bid) && new Decimal(quote.price).lte(quote.ask)).toBe(true);
    expect(Number.isNaN(Date.parse(quote.timestamp))).toBe(false);
  });

  it('answers NOT_FOUND with SYMBOL_NOT_FOUND for an unknown symbol and INVALID_ARGUMENT for a malformed one', async () => {
    const unknown = await rejectionOf(getQuote('999999'));
    const malformed = await rejectionOf(getQuote('SAMSUNG'));

    expect([unknown.code, trailer(unknown, 'jts-error-code')]).toEqual([status.NOT_FOUND, 'SYMBOL_NOT_FOUND']);
    expect([malformed.code, trailer(malformed, 'jts-error-code')]).toEqual([status.INVALID_ARGUMENT, 'INVALID_ARGUMENT']);
    expect(malformed.details).toContain('symbol');
  });

  it('streams quotes of every requested symbol until the client cancels, then cleans up', async () => {
    const stream = clients.marketData.streamQuotes({ symbols: ['005930', '000660'] });
    const received: jtsV1.QuoteData[] = [];
    const ended = new Promise<number>((resolve) => stream.on('error', (error: { code: number }) => resolve(error.code)));
    stream.on('data', (quote: jtsV1.QuoteData) => {
      received.push(quote);
      if (received.length === 6) {
        stream.cancel();
      }
    });

    await expect(ended).resolves.toBe(status.CANCELLED);
    expect(received.map((quote) => quote.symbol)).toEqual(['005930', '000660', '005930', '000660', '005930', '000660']);
    await waitFor(
      () => logger.lines.some((line) => line.includes('kis StreamQuotes') && line.includes('"status":"cancelled"')),
      { timeoutMs: 5_000, description: 'the server to end the cancelled quote stream' },
    );
  });

  it.each([
    [[], 'symbols'],
    [['005930', 'bad'], 'symbols[1]'],
  ])('refuses a quote stream of %j naming %s', async (symbols, field) => {
    const error = await rejectionOf(collect(clients.marketData.streamQuotes({ symbols }, callOptions())));

    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain(field);
  });

  it('answers NOT_FOUND on a quote stream of an unknown symbol', async () => {
    const error = await rejectionOf(collect(clients.marketData.streamQuotes({ symbols: ['999999'] }, callOptions())));

    expect([error.code, trailer(error, 'jts-error-code')]).toEqual([status.NOT_FOUND, 'SYMBOL_NOT_FOUND']);
  });
});
