import type { IncomingMessage, ServerResponse } from 'node:http';
import { classifyError } from '@qts/service-infra';

export interface ConsoleEventStreamOptions {
  /** The state to push; called for every snapshot. */
  snapshot: () => unknown | Promise<unknown>;
  /** A snapshot at least this often (the console's live promise: at least once a second). */
  intervalMs: number;
  /** Snapshots never come closer together than this, however often they are triggered. */
  minSpacingMs?: number;
  /**
   * Checks again that the caller may still watch (its API key not revoked); a rejection ends the stream with an
   * `event: error` carrying the refusal, so the page asks for a key again.
   */
  verify?: () => Promise<void>;
  /** How often `verify` runs. Default 15 s. */
  verifyEveryMs?: number;
  /** Aborts when the service shuts down: the stream ends and the page reconnects elsewhere. */
  stopping?: AbortSignal;
}

/**
 * One console stream of Server-Sent Events: `event: snapshot` with the JSON state at once, then every `intervalMs`
 * and whenever trigger() says the state changed; a snapshot that fails is reported as `event: problem` and the
 * stream goes on. A client that does not keep up is skipped (never buffered without bound) until it drains.
 * Ends when the client goes, the service stops, or `verify` refuses.
 */
export class ConsoleEventStream {
  private timer: NodeJS.Timeout | undefined;
  private verifier: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private ended = false;
  private producing = false;
  private readonly minSpacingMs: number;
  private resolveDone!: () => void;
  /** Resolves once the stream has ended. */
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(
    request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly options: ConsoleEventStreamOptions,
  ) {
    this.minSpacingMs = options.minSpacingMs ?? 100;
    response.statusCode = 200;
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    request.socket.setNoDelay(true);
    const end = () => this.end();
    response.once('close', end);
    request.once('aborted', end);
    options.stopping?.addEventListener('abort', end, { once: true });
    if (options.stopping?.aborted === true) {
      this.end();
      return;
    }
    if (options.verify !== undefined) {
      this.verifier = setInterval(() => void this.verifyStill(), options.verifyEveryMs ?? 15_000);
      this.verifier.unref();
    }
    void this.push();
  }

  /** The state changed: push it now (or as soon as the minimum spacing allows). */
  trigger(): void {
    if (this.ended) return;
    const wait = this.lastSentAt + this.minSpacingMs - Date.now();
    this.schedule(Math.max(0, wait));
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    clearInterval(this.verifier);
    if (!this.response.writableEnded) this.response.end();
    this.resolveDone();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.push(), delayMs);
  }

  private async push(): Promise<void> {
    if (this.ended) return;
    this.schedule(this.options.intervalMs);
    // A client that has not read the last snapshot gets the next one once it has: the newest state, never a backlog.
    if (this.producing || this.response.writableNeedDrain) return;
    this.producing = true;
    this.lastSentAt = Date.now();
    let event: string;
    try {
      event = `event: snapshot\ndata: ${JSON.stringify(await this.options.snapshot())}\n\n`;
    } catch (error) {
      const { code, message } = classifyError(error);
      event = `event: problem\ndata: ${JSON.stringify({ code, message })}\n\n`;
    } finally {
      this.producing = false;
    }
    if (!this.ended) this.response.write(event);
  }

  private async verifyStill(): Promise<void> {
    try {
      await this.options.verify?.();
    } catch (error) {
      if (this.ended) return;
      const { httpStatus, code, message } = classifyError(error);
      this.response.write(`event: error\ndata: ${JSON.stringify({ statusCode: httpStatus, code, message })}\n\n`);
      this.end();
    }
  }
}
