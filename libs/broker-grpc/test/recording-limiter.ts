import { RateLimitPermits } from '../src/lib/gateway/rate-limit-permits';

/** A limiter that grants (or refuses) every permit and records which operations asked. */
export class RecordingLimiter implements RateLimitPermits {
  readonly acquired: string[] = [];
  readonly timeouts: (number | undefined)[] = [];
  grant = true;
  waitEstimateMs = 750;

  async acquire(operation: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
    this.acquired.push(operation);
    this.timeouts.push(options.timeoutMs);
    return this.grant;
  }

  estimateWaitMs(): number {
    return this.waitEstimateMs;
  }

  count(operation: string): number {
    return this.acquired.filter((name) => name === operation).length;
  }
}
