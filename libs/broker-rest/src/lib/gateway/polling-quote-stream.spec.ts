import { BrokerUnavailableError, Decimal, Quote, RateLimitExceededError, SymbolNotFoundError } from '@qts/broker-domain';
import { pollQuotes } from './polling-quote-stream';

function quote(symbol: string, price = 70_000): Quote {
  return new Quote({ symbol, price: new Decimal(price), change: new Decimal(0), changeRate: new Decimal(0), bid: new Decimal(price - 100), ask: new Decimal(price), bidSize: 1, askSize: 1, volume: 1, timestamp: new Date(0) });
}

describe('pollQuotes', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks each symbol in turn, then waits for the next round', async () => {
    const asked: string[] = [];
    const stream = pollQuotes(['005930', '000660'], {
      fetchQuote: async (symbol) => {
        asked.push(symbol);
        return quote(symbol);
      },
      intervalMs: 1_000,
      maxBackoffMs: 10_000,
    });

    const first = await stream.next();
    const second = await stream.next();
    const third = stream.next();
    await jest.advanceTimersByTimeAsync(999);
    expect(asked).toEqual(['005930', '000660']);
    await jest.advanceTimersByTimeAsync(1);

    expect([first.value?.symbol, second.value?.symbol, (await third).value?.symbol]).toEqual(['005930', '000660', '005930']);
    await stream.return(undefined);
  });

  it('skips a round that hit the rate limit or an unavailable broker, backing off, and goes on', async () => {
    const answers: Array<Quote | Error> = [
      new RateLimitExceededError('slow down', { retryAfterMs: 1_000 }),
      new BrokerUnavailableError('down'),
      quote('005930', 71_000),
    ];
    const asked: number[] = [];
    const stream = pollQuotes(['005930'], {
      fetchQuote: async () => {
        asked.push(Date.now());
        const answer = answers.shift() as Quote | Error;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      intervalMs: 100,
      maxBackoffMs: 150,
    });

    const next = stream.next();
    await jest.advanceTimersByTimeAsync(100 + 150);

    expect((await next).value?.price.toFixed()).toBe('71000');
    expect(asked.map((at) => at - asked[0])).toEqual([0, 100, 250]);
    await stream.return(undefined);
  });

  it('ends with the error of a failure that will not pass (an unknown symbol)', async () => {
    const stream = pollQuotes(['999999'], {
      fetchQuote: async () => {
        throw new SymbolNotFoundError('no such symbol');
      },
      intervalMs: 100,
      maxBackoffMs: 100,
    });

    await expect(stream.next()).rejects.toBeInstanceOf(SymbolNotFoundError);
  });

  it('ends when the signal aborts, during a wait or a request', async () => {
    const controller = new AbortController();
    const stream = pollQuotes(['005930'], { fetchQuote: async () => quote('005930'), intervalMs: 60_000, maxBackoffMs: 60_000, signal: controller.signal });
    await stream.next();
    const waiting = stream.next();

    controller.abort();

    await expect(waiting).resolves.toEqual({ done: true, value: undefined });

    const aborted = new AbortController();
    aborted.abort();
    const never = pollQuotes(['005930'], { fetchQuote: async () => quote('005930'), intervalMs: 1, maxBackoffMs: 1, signal: aborted.signal });
    await expect(never.next()).resolves.toEqual({ done: true, value: undefined });

    const inFlight = new AbortController();
    const slow = pollQuotes(['005930'], {
      fetchQuote: (_symbol, signal) =>
        new Promise<Quote>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))),
      intervalMs: 1,
      maxBackoffMs: 1,
      signal: inFlight.signal,
    });
    const pending = slow.next();
    inFlight.abort();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});
