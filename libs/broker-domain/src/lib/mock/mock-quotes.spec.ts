import fc from 'fast-check';
import { Candle } from '../entities/candle';
import { Quote } from '../entities/quote';
import { InvalidArgumentError, SymbolNotFoundError } from '../errors/broker-errors';
import { isOnKrxTick, krxTickAboveOf } from '../values/krx-tick-size';
import { MockBrokerGateway } from './mock-broker-gateway';

const utc = (iso: string) => new Date(iso);

function gatewayAt(iso: string, seed = 42): MockBrokerGateway {
  const now = utc(iso);
  return new MockBrokerGateway({ seed, clock: () => now });
}

async function dailyOf(gateway: MockBrokerGateway, symbol: string, day: string): Promise<Candle> {
  const [daily] = await gateway.getCandles(symbol, '1d', utc(`${day}T00:00:00Z`), utc(`${day}T00:00:00Z`));
  return daily;
}

function expectConsistentBook(quote: Quote): void {
  expect(quote.bid.lessThan(quote.ask)).toBe(true);
  expect(isOnKrxTick(quote.bid)).toBe(true);
  expect(isOnKrxTick(quote.ask)).toBe(true);
  expect(isOnKrxTick(quote.price)).toBe(true);
  expect(quote.price.greaterThanOrEqualTo(quote.bid)).toBe(true);
  expect(quote.price.lessThanOrEqualTo(quote.ask)).toBe(true);
  // A one-tick spread, as in a liquid KRX book.
  expect(quote.ask.toNumber()).toBe(krxTickAboveOf(quote.bid.toNumber()));
  expect(quote.bidSize).toBeGreaterThan(0);
  expect(quote.askSize).toBeGreaterThan(0);
  expect(quote.low?.lessThanOrEqualTo(quote.price)).toBe(true);
  expect(quote.high?.greaterThanOrEqualTo(quote.price)).toBe(true);
  expect(quote.change.equals(quote.price.minus(quote.previousClose ?? 0))).toBe(true);
  const rate = quote.change
    .dividedBy(quote.previousClose ?? 1)
    .times(100)
    .toDecimalPlaces(2);
  expect(quote.changeRate.equals(rate)).toBe(true);
}

describe('MockBrokerGateway quotes', () => {
  it('during the session: inside the current minute bar and the day so far', async () => {
    const gateway = gatewayAt('2024-03-05T02:17:42.500Z'); // Tuesday 11:17:42 KST
    const quote = await gateway.getQuote('005930');
    expectConsistentBook(quote);
    expect(quote.symbol).toBe('005930');
    expect(quote.timestamp.toISOString()).toBe('2024-03-05T02:17:42.500Z');
    const [minute] = await gateway.getCandles(
      '005930',
      '1m',
      utc('2024-03-05T02:17:00Z'),
      utc('2024-03-05T02:17:00Z'),
    );
    expect(quote.price.greaterThanOrEqualTo(minute.low)).toBe(true);
    expect(quote.price.lessThanOrEqualTo(minute.high)).toBe(true);
    const today = await dailyOf(gateway, '005930', '2024-03-05');
    const yesterday = await dailyOf(gateway, '005930', '2024-03-04');
    expect(quote.open?.equals(today.open)).toBe(true);
    expect(quote.high?.lessThanOrEqualTo(today.high)).toBe(true);
    expect(quote.low?.greaterThanOrEqualTo(today.low)).toBe(true);
    expect(quote.previousClose?.equals(yesterday.close)).toBe(true);
    expect(quote.volume).toBeGreaterThan(0);
    expect(quote.volume).toBeLessThan(today.volume);
  });

  it('after the close: the day settles on its daily candle', async () => {
    const gateway = gatewayAt('2024-03-05T07:00:00Z'); // 16:00 KST
    const quote = await gateway.getQuote('000660');
    const today = await dailyOf(gateway, '000660', '2024-03-05');
    expectConsistentBook(quote);
    expect(quote.price.equals(today.close)).toBe(true);
    expect(quote.open?.equals(today.open)).toBe(true);
    expect(quote.high?.equals(today.high)).toBe(true);
    expect(quote.low?.equals(today.low)).toBe(true);
    expect(quote.volume).toBe(today.volume);
  });

  it('over a weekend and before the open: rests at the last close', async () => {
    const saturday = await gatewayAt('2024-03-09T03:00:00Z').getQuote('035720');
    const sunday = await gatewayAt('2024-03-10T03:00:00Z').getQuote('035720');
    const mondayEarly = await gatewayAt('2024-03-10T23:30:00Z').getQuote('035720'); // Monday 08:30 KST
    const friday = await dailyOf(gatewayAt('2024-03-09T03:00:00Z'), '035720', '2024-03-08');
    const thursday = await dailyOf(gatewayAt('2024-03-09T03:00:00Z'), '035720', '2024-03-07');
    for (const quote of [saturday, sunday, mondayEarly]) {
      expectConsistentBook(quote);
      expect(quote.price.equals(friday.close)).toBe(true);
      expect(quote.previousClose?.equals(thursday.close)).toBe(true);
    }
    expect(sunday.bid.equals(saturday.bid)).toBe(true);
  });

  it('moves with the clock and is the same for the same seed and time', async () => {
    let now = utc('2024-03-05T00:00:00Z');
    const gateway = new MockBrokerGateway({ clock: () => now });
    const twin = new MockBrokerGateway({ clock: () => now });
    const prices = new Set<string>();
    for (let minute = 0; minute < 390; minute += 13) {
      now = new Date(utc('2024-03-05T00:00:00Z').getTime() + minute * 60_000 + 17_000);
      const quote = await gateway.getQuote('005930');
      expect((await twin.getQuote('005930')).toJSON()).toEqual(quote.toJSON());
      prices.add(quote.price.toFixed());
    }
    expect(prices.size).toBeGreaterThan(5);
    const otherSeed = await gatewayAt(now.toISOString(), 99).getQuote('005930');
    expect(otherSeed.price.equals((await gateway.getQuote('005930')).price)).toBe(false);
  });

  it('keeps a consistent book at any instant (property)', async () => {
    const from = utc('2023-01-01T00:00:00Z').getTime();
    const to = utc('2025-12-31T00:00:00Z').getTime();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: from, max: to }),
        fc.constantFrom('001510', '003530', '005930', '207940'),
        async (ms, symbol) => {
          expectConsistentBook(await gatewayAt(new Date(ms).toISOString()).getQuote(symbol));
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('refuses an unknown symbol and a broken clock', async () => {
    await expect(gatewayAt('2024-03-05T02:00:00Z').getQuote('123456')).rejects.toThrow(SymbolNotFoundError);
    const broken = new MockBrokerGateway({ clock: () => new Date(Number.NaN) });
    await expect(broken.getQuote('005930')).rejects.toMatchObject({ field: 'clock' });
  });
});

describe('MockBrokerGateway.streamQuotes', () => {
  const start = utc('2024-03-05T02:00:00Z');

  beforeEach(() => {
    jest.useFakeTimers({ now: start });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('yields one quote per symbol at once, then every quoteIntervalMs', async () => {
    const gateway = new MockBrokerGateway({ quoteIntervalMs: 500 });
    const controller = new AbortController();
    const stream = gateway.streamQuotes(['005930', '000660'], { signal: controller.signal });
    const first = [await stream.next(), await stream.next()];
    expect(first.map((result) => result.value?.symbol)).toEqual(['005930', '000660']);
    expect(first.every((result) => result.value?.timestamp.getTime() === start.getTime())).toBe(true);

    const pending = stream.next();
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(499);
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const third = await pending;
    expect(third.value?.symbol).toBe('005930');
    expect(third.value?.timestamp.getTime()).toBe(start.getTime() + 500);

    controller.abort();
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends a waiting next() and clears its timer on abort', async () => {
    const controller = new AbortController();
    const stream = new MockBrokerGateway().streamQuotes(['005930'], { signal: controller.signal });
    await stream.next();
    const waiting = stream.next();
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('cleans up when the consumer breaks out of for await', async () => {
    const received: string[] = [];
    const stream = new MockBrokerGateway({ quoteIntervalMs: 1_000 }).streamQuotes(['005930', '035420']);
    const consume = (async () => {
      for await (const quote of stream) {
        received.push(`${quote.symbol}@${quote.timestamp.toISOString()}`);
        if (received.length === 4) {
          break;
        }
      }
    })();
    await jest.advanceTimersByTimeAsync(1_000);
    await consume;
    expect(received).toEqual([
      '005930@2024-03-05T02:00:00.000Z',
      '035420@2024-03-05T02:00:00.000Z',
      '005930@2024-03-05T02:00:01.000Z',
      '035420@2024-03-05T02:00:01.000Z',
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const stream = new MockBrokerGateway().streamQuotes(['005930'], { signal: controller.signal });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails the first next() for an unknown symbol or an empty list, then ends', async () => {
    const gateway = new MockBrokerGateway();
    const unknown = gateway.streamQuotes(['005930', '999999']);
    await expect(unknown.next()).rejects.toThrow(SymbolNotFoundError);
    expect(await unknown.next()).toEqual({ value: undefined, done: true });
    await expect(gateway.streamQuotes([]).next()).rejects.toThrow(InvalidArgumentError);
    expect(jest.getTimerCount()).toBe(0);
  });
});
