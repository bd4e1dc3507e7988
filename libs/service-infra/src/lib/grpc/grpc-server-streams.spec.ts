import type { ServerWritableStream } from '@grpc/grpc-js';
import { EventEmitter, getEventListeners } from 'node:events';
import { GrpcServerStreams, type OpenServerStream } from './grpc-server-streams';

/** A server call whose transport is always full: every write waits for 'drain'. */
class FullCall extends EventEmitter {
  cancelled = false;
  readonly written: number[] = [];
  write(message: number): boolean {
    this.written.push(message);
    setImmediate(() => this.emit('drain'));
    return false;
  }
}

describe('GrpcServerStreams', () => {
  it('waits for drain on every write of a long stream without leaving a listener behind', async () => {
    const streams = new GrpcServerStreams();
    const call = new FullCall();
    let abortListenersAtEnd = -1;
    const done = new Promise<void>((resolve, reject) =>
      streams
        .stream(
          call as unknown as ServerWritableStream<unknown, number>,
          async (stream: OpenServerStream<number>) => {
            for (let n = 0; n < 50; n += 1) await stream.write(n);
            abortListenersAtEnd = getEventListeners(stream.signal, 'abort').length;
          },
        )
        .subscribe({ complete: resolve, error: reject }),
    );

    await done;

    expect(call.written).toHaveLength(50);
    expect(call.listenerCount('drain')).toBe(0);
    // Only the stream's own: none left by the 50 waits.
    expect(abortListenersAtEnd).toBe(1);
  });

  it('ends a write that waits for drain when the stream is aborted (shutdown), and ends the call', async () => {
    const streams = new GrpcServerStreams();
    const call = new FullCall();
    call.write = (message: number) => {
      call.written.push(message);
      return false; // never drains
    };
    let wrote = 0;
    const done = new Promise<void>((resolve, reject) =>
      streams
        .stream(call as unknown as ServerWritableStream<unknown, number>, async (stream) => {
          await stream.write(1);
          wrote += 1;
        })
        .subscribe({ complete: resolve, error: reject }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(streams.size).toBe(1);

    streams.endAll();
    await done;

    expect(call.written).toEqual([1]);
    expect(streams.size).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(wrote).toBe(1);
  });
});
