import { performance } from 'node:perf_hooks';

/** How one call ended: `ok`, or a status the suite counts (HTTP `500`, gRPC `INTERNAL` ...). */
export interface CallOutcome {
  /** 'ok', an HTTP status ('503'), or a gRPC status name ('UNAVAILABLE'). */
  result: string;
  /** performance.now() when the call started and ended. */
  startedAt: number;
  endedAt: number;
}

/** Calls of one kind kept going by `loops` callers, each starting its next call when the previous one ended. */
export class CallLoad {
  readonly outcomes: CallOutcome[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    readonly name: string,
    loops: number,
    call: (index: number) => Promise<string>,
  ) {
    let next = 0;
    this.loops = Array.from({ length: loops }, async () => {
      while (this.running) {
        const startedAt = performance.now();
        const result = await call(next++).catch((error: unknown) => `thrown: ${error instanceof Error ? error.message : String(error)}`);
        this.outcomes.push({ result, startedAt, endedAt: performance.now() });
        // A caller that fails at once does not spin: real clients back off a little.
        if (result !== 'ok') await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
  }

  /** Stops starting calls; resolves once the calls under way ended. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Outcomes by result, e.g. { ok: 120, '504': 3 }. */
  counts(from = 0, to = Number.POSITIVE_INFINITY): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const outcome of this.outcomes) {
      if (outcome.startedAt < from || outcome.startedAt >= to) continue;
      counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
    }
    return counts;
  }

  /** The longest call, in ms. */
  longestMs(): number {
    return this.outcomes.reduce((longest, outcome) => Math.max(longest, outcome.endedAt - outcome.startedAt), 0);
  }

  /** Calls that ended with `ok` after `at` (performance.now()). */
  okAfter(at: number): number {
    return this.outcomes.filter((outcome) => outcome.result === 'ok' && outcome.startedAt >= at).length;
  }
}
