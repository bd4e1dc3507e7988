import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';

/** A part of the service with work to stop and drain on shutdown (the gRPC server, the worker's intents ...). */
export interface ShutdownParticipant {
  /** For log lines. */
  readonly name: string;
  /** Called at once, right after readiness went down: take no new work. */
  stopAccepting?(): void | Promise<void>;
  /** Resolves once the work taken before has finished; the participant bounds its own wait. */
  drain?(): Promise<void>;
}

export interface ServiceShutdownOptions {
  /**
   * How long the drain may take from SIGTERM: HTTP requests in flight get until then (at least
   * MIN_HTTP_DRAIN_MS after the participants drained), and are cut after it.
   */
  drainMs: number;
}

/** What HTTP requests in flight get at least, after the participants drained, before they are cut. */
export const MIN_HTTP_DRAIN_MS = 1_000;

/** Paths that keep answering during the drain: the probes (readiness answers 503) and Prometheus. */
const PATHS_SERVED_WHILE_DRAINING = /^\/(health(\/|$)|metrics$)/;

type NextFunction = (error?: unknown) => void;

/**
 * The service's shutdown, in one place and one order (SIGTERM through Nest's shutdown hooks, or app.close()):
 * 1. readiness goes down at once: `/health/ready` answers 503 (`shutdown: down`), `signal` aborts (long-lived HTTP
 *    responses such as SSE streams end), and new HTTP requests other than health and metrics get 503
 *    SERVICE_STOPPING with `Connection: close` (a definite "not processed here, retry elsewhere", never a cut);
 * 2. every participant stops taking work (the gRPC server: NOT_SERVING, streams ended, no new calls);
 * 3. every participant drains what it had started, side by side, each bounded by its own grace;
 * 4. the HTTP server closes: no new connections, idle ones closed, requests in flight answered until the drain
 *    deadline (`drainMs` after the start), then cut.
 * Nest then closes the servers (already closed) and the modules (database last).
 */
export class ServiceShutdown implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly log = new Logger('Shutdown');
  private readonly stopping = new AbortController();
  private readonly participants: ShutdownParticipant[] = [];
  private completed: Promise<void> | undefined;

  constructor(
    private readonly options: ServiceShutdownOptions,
    private readonly adapterHost?: HttpAdapterHost,
  ) {}

  /** True from the first moment of the shutdown. */
  get isStopping(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Aborts when the shutdown begins. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Adds a participant; stopped and drained in the order of registration (stop) and all together (drain). */
  register(participant: ShutdownParticipant): void {
    this.participants.push(participant);
  }

  /** Express middleware of step 1: during the drain, only health and metrics are served. */
  httpGate(): (request: IncomingMessage & { path?: string }, response: ServerResponse, next: NextFunction) => void {
    return (request, response, next) => {
      if (!this.isStopping) {
        next();
        return;
      }
      // No new request on this connection: the client reconnects, to another instance.
      response.setHeader('Connection', 'close');
      const path = request.path ?? (request.url ?? '/').split('?')[0];
      if (PATHS_SERVED_WHILE_DRAINING.test(path)) {
        next();
        return;
      }
      response.statusCode = 503;
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.end(
        JSON.stringify({
          statusCode: 503,
          code: PLATFORM_ERROR_CODES.SERVICE_STOPPING,
          message: 'the service is shutting down; the request was not processed, retry on another instance',
        }),
      );
    };
  }

  /** Nest's first shutdown hook: readiness goes down before any module does anything else. */
  onModuleDestroy(): void {
    this.stopping.abort();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.shutdown();
  }

  /** Runs the shutdown once; later calls wait for the same one. */
  shutdown(): Promise<void> {
    this.completed ??= this.run();
    return this.completed;
  }

  private async run(): Promise<void> {
    const startedAt = Date.now();
    this.stopping.abort();
    this.log.log(`Shutting down: readiness down, no new work; draining for up to ${this.options.drainMs} ms`);
    for (const participant of this.participants) {
      try {
        await participant.stopAccepting?.();
      } catch (error) {
        this.log.error(`${participant.name} could not stop taking work: ${describe(error)}`);
      }
    }
    await Promise.all(
      this.participants.map((participant) =>
        participant.drain?.().catch((error: unknown) => this.log.error(`${participant.name} did not drain: ${describe(error)}`)),
      ),
    );
    await this.closeHttpServer(startedAt + this.options.drainMs);
    this.log.log(`Drained in ${Date.now() - startedAt} ms`);
  }

  private async closeHttpServer(deadline: number): Promise<void> {
    const server = this.adapterHost?.httpAdapter?.getHttpServer() as Server | undefined;
    if (server === undefined || !server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const waitMs = Math.max(deadline - Date.now(), MIN_HTTP_DRAIN_MS);
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      this.log.warn('HTTP requests still open at the end of the drain: cut');
      server.closeAllConnections();
      await closed;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
