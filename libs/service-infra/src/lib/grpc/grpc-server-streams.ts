import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { Observable } from 'rxjs';

/** What a server-streaming handler writes through. */
export interface OpenServerStream<Res> {
  /** Writes one message; resolves once the transport can take the next (the client reads slower than we write). */
  write(message: Res): Promise<void>;
  /** Aborted when the client cancels the call or the server shuts down: stop producing. */
  readonly signal: AbortSignal;
  /** The call itself, for metadata and for producers that push (they check `call.writableLength`). */
  readonly call: ServerWritableStream<unknown, Res>;
}

/**
 * The server streams of a service that are open. A handler returns `streams.open(call, produce)`: the call ends
 * with OK when `produce` resolves, with the status of its error when it rejects (through the exception filter),
 * and at once when the client cancels or the server shuts down (then the producer's signal is aborted).
 * Writes wait for 'drain', so a slow client holds the producer back instead of filling memory.
 */
@Injectable()
export class GrpcServerStreams {
  private readonly open = new Set<AbortController>();
  private closed = false;

  stream<Res>(
    call: ServerWritableStream<unknown, Res>,
    produce: (stream: OpenServerStream<Res>) => Promise<void>,
  ): Observable<never> {
    return new Observable<never>((subscriber) => {
      const abort = new AbortController();
      const onAbort = (): void => subscriber.complete();
      abort.signal.addEventListener('abort', onAbort);
      this.open.add(abort);
      if (this.closed) abort.abort();
      const write = async (message: Res): Promise<void> => {
        if (abort.signal.aborted || call.cancelled) return;
        if (call.write(message)) return;
        // Both waits are withdrawn once either ends: a long stream to a slow reader waits here many times, and a
        // listener left behind each time would grow without bound.
        const waited = new AbortController();
        const until = (event: Promise<unknown>): Promise<unknown> => event.catch(() => undefined);
        try {
          await Promise.race([
            until(once(call, 'drain', { signal: waited.signal })),
            until(once(abort.signal, 'abort', { signal: waited.signal })),
          ]);
        } finally {
          waited.abort();
        }
      };
      produce({ write, signal: abort.signal, call }).then(
        () => subscriber.complete(),
        (error: unknown) => (abort.signal.aborted ? subscriber.complete() : subscriber.error(error)),
      );
      return () => {
        this.open.delete(abort);
        abort.signal.removeEventListener('abort', onAbort);
        abort.abort();
      };
    });
  }

  /** Streams open now. */
  get size(): number {
    return this.open.size;
  }

  /** Shutdown: ends every open stream with OK and refuses to keep new ones open. */
  endAll(): void {
    this.closed = true;
    for (const abort of [...this.open]) abort.abort();
  }
}
