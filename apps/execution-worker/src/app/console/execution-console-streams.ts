import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ConsoleEventStream } from '@qts/console-ui';
import { ExecutionReportBus } from '../processing/execution-report-bus';

/**
 * The open execution-console streams of this process: each committed execution report (and each reset) pushes a new
 * snapshot at once; reports of other replicas arrive with the next one-second snapshot, read from the database.
 */
@Injectable()
export class ExecutionConsoleStreams implements OnModuleDestroy {
  private readonly streams = new Set<ConsoleEventStream>();
  private readonly unsubscribe: () => void;

  constructor(reports: ExecutionReportBus) {
    this.unsubscribe = reports.subscribe(() => this.trigger());
  }

  add(stream: ConsoleEventStream): void {
    this.streams.add(stream);
    void stream.done.then(() => this.streams.delete(stream));
  }

  trigger(): void {
    for (const stream of this.streams) stream.trigger();
  }

  get size(): number {
    return this.streams.size;
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    for (const stream of this.streams) stream.end();
  }
}
