import { Injectable, Logger } from '@nestjs/common';
import type { ExecutionReport } from './execution-report';

export type ExecutionReportListener = (report: ExecutionReport) => void;

/**
 * Fans out execution reports, in the order they were committed, to the open StreamExecutionReports calls. A listener
 * that throws is logged and does not keep the others from their reports.
 */
@Injectable()
export class ExecutionReportBus {
  private readonly logger = new Logger(ExecutionReportBus.name);
  private readonly listeners = new Set<ExecutionReportListener>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: ExecutionReportListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  publish(report: ExecutionReport): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(report);
      } catch (error) {
        this.logger.warn(`An execution report listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
