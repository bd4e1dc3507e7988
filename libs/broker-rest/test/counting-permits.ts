import type { RestOperation } from '../src/lib/http/rest-call';
import type { RestCallOutcome, RestCallPermit, RestCallPermitOptions, RestCallPermits } from '../src/lib/permits/rest-call-permits';

/** TEST-ONLY permits that grant (or refuse) at once and count what was taken and given back. */
export class CountingPermits implements RestCallPermits {
  readonly acquired: RestOperation[] = [];
  completed = 0;
  /** How each request ended, in completion order. */
  readonly outcomes: RestCallOutcome[] = [];
  /** The permit timeout each acquire asked for. */
  readonly timeouts: number[] = [];
  private readonly grant: boolean;

  constructor(options: { grant?: boolean } = {}) {
    this.grant = options.grant ?? true;
  }

  async acquire(operation: RestOperation, options: RestCallPermitOptions): Promise<RestCallPermit | undefined> {
    this.timeouts.push(options.timeoutMs);
    if (!this.grant) {
      return undefined;
    }
    this.acquired.push(operation);
    let done = false;
    return {
      complete: (outcome) => {
        if (!done) {
          done = true;
          this.completed += 1;
          this.outcomes.push(outcome);
        }
      },
    };
  }

  estimateWaitMs(): number {
    return 250;
  }
}
