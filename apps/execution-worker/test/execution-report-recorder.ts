import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import type { qtsExecutionV1 } from '@qts/grpc-contracts';
import { waitFor } from '@qts/test-support';
import type { ExecutionGrpcClient } from './execution-grpc-client';

/** Every execution report a strategy engine would receive, kept for assertions, with a way to wait for one. */
export class ExecutionReportRecorder {
  readonly reports: qtsExecutionV1.ExecutionReport[] = [];
  private readonly stream: ClientReadableStream<qtsExecutionV1.ExecutionReport>;
  /** Why the stream ended, other than by close(): a wait for a report that times out names it. */
  private failure: ServiceError | undefined;

  /** Subscribes with the client's API key. */
  constructor(client: ExecutionGrpcClient, filter: { strategyId?: string; brokerId?: string } = {}) {
    this.stream = client.streamExecutionReports({ strategyId: filter.strategyId ?? '', brokerId: filter.brokerId ?? '' });
    this.stream.on('data', (report: qtsExecutionV1.ExecutionReport) => this.reports.push(report));
    this.stream.on('error', (error: ServiceError) => {
      if (error.code !== status.CANCELLED) this.failure = error;
    });
  }

  /** Resolves with the first report of the intent that matches, waiting up to `timeoutMs`. */
  waitFor(
    intentId: string,
    matches: (report: qtsExecutionV1.ExecutionReport) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<qtsExecutionV1.ExecutionReport> {
    return waitFor(() => this.reports.find((report) => report.intentId === intentId && matches(report)) ?? this.throwIfFailed(), {
      timeoutMs,
      intervalMs: 20,
      description: `a report of ${intentId}`,
    });
  }

  /**
   * Resolves once the stream delivers reports: submits small resting orders (`warm-up-<n>`, symbol 034220) until the
   * report of one arrives, so no report of the test proper can be missed.
   */
  async ready(client: ExecutionGrpcClient, request: (intentId: string) => qtsExecutionV1.SubmitIntentRequest): Promise<void> {
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const intentId = `warm-up-${attempt}`;
      await client.submitIntent(request(intentId));
      try {
        await this.waitFor(intentId, () => true, 500);
        return;
      } catch {
        // The stream was not subscribed yet: try again.
      }
    }
    throw new Error('the execution report stream delivered nothing');
  }

  private throwIfFailed(): undefined {
    if (this.failure !== undefined) throw new Error(`the report stream ended: ${this.failure.code} ${this.failure.details}`);
    return undefined;
  }

  of(intentId: string): qtsExecutionV1.ExecutionReport[] {
    return this.reports.filter((report) => report.intentId === intentId);
  }

  close(): void {
    this.stream.cancel();
  }
}
