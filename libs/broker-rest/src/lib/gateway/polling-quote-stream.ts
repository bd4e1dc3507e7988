import { BROKER_ERROR_CODES, isBrokerError, Quote } from '@qts/broker-domain';

export interface PollingQuoteStreamOptions {
  /** One quote of a symbol (its requests take rate-limit permits like every other call). */
  fetchQuote: (symbol: string, signal: AbortSignal) => Promise<Quote>;
  /** Least time between the starts of two rounds over the symbols. */
  intervalMs: number;
  /** Longest wait after rounds that failed in a row (doubling from intervalMs). */
  maxBackoffMs: number;
  signal?: AbortSignal;
}

/** Failures after which the next round may succeed: the stream waits and goes on. */
const PASSING_FAILURES: ReadonlySet<string> = new Set([
  BROKER_ERROR_CODES.RATE_LIMITED,
  BROKER_ERROR_CODES.BROKER_TIMEOUT,
  BROKER_ERROR_CODES.BROKER_UNAVAILABLE,
]);

/**
 * Quotes by polling, for brokers reached over REST (their websockets are not used): a round asks each symbol
 * in turn, then waits until `intervalMs` after the round began. Every request takes a rate-limit permit, so
 * the stream runs at what the budget leaves, never above it. A round that fails for a passing reason (rate
 * limit, timeout, broker unavailable) is skipped with a growing pause; any other failure (unknown symbol,
 * credentials refused) ends the stream with its error. Aborting the signal or leaving the loop ends it.
 */
export async function* pollQuotes(symbols: readonly string[], options: PollingQuoteStreamOptions): AsyncGenerator<Quote> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) {
    stop.abort(options.signal.reason);
  }
  let failedRounds = 0;
  try {
    while (!stop.signal.aborted) {
      const roundStartedAt = Date.now();
      let failed = false;
      for (const symbol of symbols) {
        let quote: Quote;
        try {
          quote = await options.fetchQuote(symbol, stop.signal);
        } catch (error) {
          if (stop.signal.aborted) {
            return;
          }
          if (isBrokerError(error) && PASSING_FAILURES.has(error.code)) {
            failed = true;
            break;
          }
          throw error;
        }
        yield quote;
        if (stop.signal.aborted) {
          return;
        }
      }
      failedRounds = failed ? failedRounds + 1 : 0;
      const pause =
        failedRounds === 0
          ? options.intervalMs - (Date.now() - roundStartedAt)
          : Math.min(options.maxBackoffMs, options.intervalMs * 2 ** (failedRounds - 1));
      await sleep(Math.max(0, pause), stop.signal);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Leaving the loop early (break, return()) cancels a request still in flight.
    stop.abort();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
