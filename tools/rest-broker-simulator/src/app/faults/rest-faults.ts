/** What a failing request is answered with: an HTTP status, and the broker's own error code when given. */
export interface InjectedFailure {
  status: number;
  brokerCode?: string;
}

/** Api ids a fault applies to (KIS tr_id, Kiwoom api-id, or 'token'); empty = every request. */
export type ApiSelection = readonly string[];

export interface RestFaultsSnapshot {
  latency?: { latencyMs: number; apis: string[] };
  errorRate?: { rate: number; failure: InjectedFailure; apis: string[] };
  failNext?: { count: number; failure: InjectedFailure; apis: string[] };
  stall?: { apis: string[] };
}

function applies(apis: ApiSelection, apiId: string): boolean {
  return apis.length === 0 || apis.includes(apiId);
}

/**
 * The faults injected into one simulated broker. Failures are decided before a request is processed
 * (fail-next first, then the error rate, drawn from a PRNG seeded per broker so runs repeat); latency is
 * added after processing (a request that outlives the client's deadline has still been processed); a stall
 * holds matching requests before they even count as arrived, and releases them all at once when cleared
 * (the burst a stalled broker lets through).
 */
export class RestFaults {
  private latency?: { latencyMs: number; apis: string[] };
  private errorRate?: { rate: number; failure: InjectedFailure; apis: string[] };
  private failNext?: { count: number; failure: InjectedFailure; apis: string[] };
  private stall?: { apis: string[]; release: Promise<void>; resolve: () => void };
  private random: () => number;
  private held = 0;

  constructor(private readonly seed: number) {
    this.random = mulberry32(seed);
  }

  setLatency(latencyMs: number, apis: ApiSelection = []): void {
    this.latency = latencyMs > 0 ? { latencyMs, apis: [...apis] } : undefined;
  }

  setErrorRate(rate: number, failure: InjectedFailure, apis: ApiSelection = []): void {
    this.errorRate = rate > 0 ? { rate, failure: { ...failure }, apis: [...apis] } : undefined;
    this.random = mulberry32(this.seed);
  }

  setFailNext(count: number, failure: InjectedFailure, apis: ApiSelection = []): void {
    this.failNext = count > 0 ? { count, failure: { ...failure }, apis: [...apis] } : undefined;
  }

  setStall(apis: ApiSelection | undefined): void {
    if (apis === undefined) {
      this.releaseStall();
      return;
    }
    if (this.stall === undefined) {
      let resolve!: () => void;
      const release = new Promise<void>((done) => (resolve = done));
      this.stall = { apis: [...apis], release, resolve };
    } else {
      this.stall.apis = [...apis];
    }
  }

  clear(): void {
    this.latency = undefined;
    this.errorRate = undefined;
    this.failNext = undefined;
    this.releaseStall();
  }

  /** Requests waiting in a stall. */
  get stalled(): number {
    return this.held;
  }

  /** Resolves when the request may proceed: at once, or when the stall that holds it is cleared. */
  async passStall(apiId: string): Promise<void> {
    const stall = this.stall;
    if (stall === undefined || !applies(stall.apis, apiId)) {
      return;
    }
    this.held += 1;
    try {
      await stall.release;
    } finally {
      this.held -= 1;
    }
  }

  failureFor(apiId: string): InjectedFailure | null {
    if (this.failNext !== undefined && applies(this.failNext.apis, apiId)) {
      const { failure } = this.failNext;
      this.failNext.count -= 1;
      if (this.failNext.count === 0) {
        this.failNext = undefined;
      }
      return failure;
    }
    if (this.errorRate !== undefined && applies(this.errorRate.apis, apiId)) {
      return this.random() < this.errorRate.rate ? this.errorRate.failure : null;
    }
    return null;
  }

  latencyFor(apiId: string): number {
    return this.latency !== undefined && applies(this.latency.apis, apiId) ? this.latency.latencyMs : 0;
  }

  snapshot(): RestFaultsSnapshot {
    return JSON.parse(
      JSON.stringify({
        ...(this.latency && { latency: this.latency }),
        ...(this.errorRate && { errorRate: this.errorRate }),
        ...(this.failNext && { failNext: this.failNext }),
        ...(this.stall && { stall: { apis: this.stall.apis } }),
      }),
    ) as RestFaultsSnapshot;
  }

  private releaseStall(): void {
    const stall = this.stall;
    this.stall = undefined;
    stall?.resolve();
  }
}

/** A small deterministic PRNG (same seed, same draws). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
