import { createLimiterFromPreset, ManualRateLimitClock } from '@qts/rate-limit';
import type { RestCallPermit } from './rest-call-permits';
import { permitsFromRateLimiter } from './rest-call-permits';

function present(permit: RestCallPermit | undefined): RestCallPermit {
  if (permit === undefined) throw new Error('expected a permit');
  return permit;
}

describe('permitsFromRateLimiter', () => {
  it('holds the slot of a request until its answer arrives, plus one window (a stalled request never frees early)', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-paper', { clock });
    const permits = permitsFromRateLimiter(limiter);

    const first = present(await permits.acquire('getQuote', { timeoutMs: 0 }));
    present(await permits.acquire('getQuote', { timeoutMs: 0 }));
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeUndefined();
    // Five seconds without an answer: a grant-time limiter would have freed both slots after one.
    await clock.advanceTo(5_000);
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeUndefined();
    first.complete('answered');
    await clock.advanceTo(5_999);
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeUndefined();
    await clock.advanceTo(6_000);
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeDefined();
    limiter.close();
  });

  it('frees the slot of a request that never left at once, and keeps that of an abandoned one', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-paper', { clock });
    const permits = permitsFromRateLimiter(limiter);
    const unsent = present(await permits.acquire('getQuote', { timeoutMs: 0 }));
    const abandoned = present(await permits.acquire('getQuote', { timeoutMs: 0 }));

    unsent.complete('unsent');
    abandoned.complete('abandoned');

    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeDefined();
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeUndefined();
    expect(limiter.unanswered).toBe(1);
    limiter.close();
  });

  it('counts token issuance against the token rule of a KIS preset (one a minute) and estimates the wait', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-real', { clock });
    const permits = permitsFromRateLimiter(limiter);

    present(await permits.acquire('issueToken', { timeoutMs: 0 })).complete('answered');
    expect(await permits.acquire('issueToken', { timeoutMs: 0 })).toBeUndefined();
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeDefined();
    expect(await permits.estimateWaitMs?.('issueToken')).toBeGreaterThan(59_000);
    limiter.close();
  });

  it('resolves undefined when the caller aborts the wait', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-paper', { clock });
    const permits = permitsFromRateLimiter(limiter);
    await permits.acquire('getQuote', { timeoutMs: 0 });
    await permits.acquire('getQuote', { timeoutMs: 0 });
    const controller = new AbortController();

    const waiting = permits.acquire('getQuote', { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();

    await expect(waiting).resolves.toBeUndefined();
    limiter.close();
  });
});
