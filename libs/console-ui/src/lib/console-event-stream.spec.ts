import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiKeyInvalidError } from '@qts/service-infra';
import { ConsoleEventStream } from './console-event-stream';
import { consoleViewer } from './console-viewer';

class FakeResponse extends EventEmitter {
  statusCode = 0;
  headers: Record<string, string> = {};
  chunks: string[] = [];
  writableEnded = false;
  writableNeedDrain = false;
  setHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  flushHeaders() {
    return undefined;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.writableEnded = true;
  }
  events(name = 'snapshot') {
    return this.chunks.filter((chunk) => chunk.startsWith(`event: ${name}\n`)).map((chunk) => JSON.parse(chunk.split('\ndata: ')[1]));
  }
}

function fakeRequest(): IncomingMessage {
  const request = new EventEmitter() as unknown as IncomingMessage;
  (request as unknown as { socket: { setNoDelay(): void } }).socket = { setNoDelay: () => undefined };
  return request;
}

const flush = () => new Promise((resolve) => process.nextTick(resolve));

describe('ConsoleEventStream', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('pushes a snapshot at once, then every interval and on trigger, never closer than the minimum spacing', async () => {
    let n = 0;
    const response = new FakeResponse();
    const stream = new ConsoleEventStream(fakeRequest(), response as unknown as ServerResponse, {
      snapshot: async () => ({ n: ++n }),
      intervalMs: 1_000,
      minSpacingMs: 100,
    });
    await flush();
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.events()).toEqual([{ n: 1 }]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(response.events()).toEqual([{ n: 1 }, { n: 2 }]);
    stream.trigger();
    stream.trigger();
    await jest.advanceTimersByTimeAsync(99);
    expect(response.events()).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(response.events()).toHaveLength(3);
    stream.end();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(response.events()).toHaveLength(3);
    expect(response.writableEnded).toBe(true);
    await stream.done;
  });

  it('reports a failing snapshot as a problem and goes on; skips a client that has not drained', async () => {
    let fail = true;
    const response = new FakeResponse();
    new ConsoleEventStream(fakeRequest(), response as unknown as ServerResponse, {
      snapshot: () => {
        if (fail) throw new Error('database hiccup with secrets');
        return { ok: true };
      },
      intervalMs: 1_000,
    });
    await flush();
    expect(response.events('problem')).toEqual([{ code: 'INTERNAL', message: 'internal error' }]);
    fail = false;
    response.writableNeedDrain = true;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(response.events()).toEqual([]);
    response.writableNeedDrain = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(response.events()).toEqual([{ ok: true }]);
    response.emit('close');
  });

  it('ends when the client goes, when the service stops, and with an error when the key is revoked', async () => {
    const gone = new FakeResponse();
    const left = new ConsoleEventStream(fakeRequest(), gone as unknown as ServerResponse, { snapshot: () => ({}), intervalMs: 1_000 });
    gone.emit('close');
    await left.done;

    const stopping = new AbortController();
    const stopped = new FakeResponse();
    const stoppedStream = new ConsoleEventStream(fakeRequest(), stopped as unknown as ServerResponse, { snapshot: () => ({}), intervalMs: 1_000, stopping: stopping.signal });
    stopping.abort();
    await stoppedStream.done;
    expect(stopped.writableEnded).toBe(true);

    const already = new FakeResponse();
    await new ConsoleEventStream(fakeRequest(), already as unknown as ServerResponse, { snapshot: () => ({}), intervalMs: 1_000, stopping: AbortSignal.abort() }).done;
    expect(already.chunks).toEqual([]);

    let valid = true;
    const revoked = new FakeResponse();
    const watched = new ConsoleEventStream(fakeRequest(), revoked as unknown as ServerResponse, {
      snapshot: () => ({}),
      intervalMs: 1_000,
      verifyEveryMs: 15_000,
      verify: async () => {
        if (!valid) throw new ApiKeyInvalidError();
      },
    });
    await jest.advanceTimersByTimeAsync(15_000);
    expect(revoked.writableEnded).toBe(false);
    valid = false;
    await jest.advanceTimersByTimeAsync(15_000);
    expect(revoked.events('error')).toEqual([{ statusCode: 401, code: 'API_KEY_INVALID', message: 'the API key is not valid' }]);
    await watched.done;
  });

  it('describes the viewer by name and scopes only', () => {
    expect(consoleViewer({ keyId: 'k', name: 'ops', scopes: new Set(['read', 'admin']) } as never)).toEqual({ name: 'ops', scopes: ['admin', 'read'] });
    expect(consoleViewer(undefined)).toEqual({ name: '', scopes: [] });
  });
});
