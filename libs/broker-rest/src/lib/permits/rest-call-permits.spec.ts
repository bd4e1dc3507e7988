import { createLimiterFromPreset, ManualRateLimitClock } from '@qts/rate-limit';
import { permitsFromGrantingLimiter } from './rest-call-permits';

describe('permitsFromGrantingLimiter', () => {
  it('leases a permit per grant of SlidingWindowLimiter and none once the rule is used up', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-paper', { clock });
    const permits = permitsFromGrantingLimiter(limiter);

    const first = await permits.acquire('getQuote', { timeoutMs: 0 });
    const second = await permits.acquire('getQuote', { timeoutMs: 0 });
    const third = await permits.acquire('getQuote', { timeoutMs: 0 });

    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(third).toBeUndefined();
    first?.complete('answered');
    expect(permits.estimateWaitMs?.('getQuote')).toBeGreaterThan(0);
    limiter.close();
  });

  it('counts token issuance against the token rule of a KIS preset (one a minute)', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-real', { clock });
    const permits = permitsFromGrantingLimiter(limiter);

    expect(await permits.acquire('issueToken', { timeoutMs: 0 })).toBeDefined();
    expect(await permits.acquire('issueToken', { timeoutMs: 0 })).toBeUndefined();
    expect(await permits.acquire('getQuote', { timeoutMs: 0 })).toBeDefined();
    limiter.close();
  });

  it('resolves undefined when the caller aborts the wait', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-paper', { clock });
    const permits = permitsFromGrantingLimiter({ acquire: (op, options) => limiter.acquire(op, options) });
    await permits.acquire('getQuote', { timeoutMs: 0 });
    await permits.acquire('getQuote', { timeoutMs: 0 });
    const controller = new AbortController();

    const waiting = permits.acquire('getQuote', { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();

    await expect(waiting).resolves.toBeUndefined();
    expect(permits.estimateWaitMs).toBeUndefined();
    limiter.close();
  });
});
