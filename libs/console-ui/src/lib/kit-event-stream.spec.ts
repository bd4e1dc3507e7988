import { createEventParser, openEventStream, reconnectDelayMs } from '../../assets/event-stream.js';

/** A response whose body the test writes; aborting the request errors the body, as fetch does. */
function controlledResponse(signal: AbortSignal, status = 200) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status, headers: { 'content-type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('console kit: event stream', () => {
  it('parses events split anywhere across chunks, with LF or CR LF, comments and multi-line data', () => {
    const feed = createEventParser();
    expect(feed('event: snap')).toEqual([]);
    expect(feed('shot\r\ndata: {"a":')).toEqual([]);
    expect(feed('1}\r\n\r')).toEqual([]);
    expect(feed('\n: keep-alive\n\ndata: one\ndata: two\n\n')).toEqual([
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
    expect(feed('event: x\nid: 7\nretry: 10\nnofield\n\n')).toEqual([]);
    expect(feed('data:no-space\n\n')).toEqual([{ event: 'message', data: 'no-space' }]);
  });

  it('backs off from half a second to eight', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('sends the key in a header, delivers snapshots, and reconnects with the current key when the stream ends', async () => {
    const connections: Array<{ url: string; init: RequestInit; stream: ReturnType<typeof controlledResponse> }> = [];
    let key = 'first-key';
    const events: unknown[] = [];
    const states: string[] = [];
    const handle = openEventStream({
      url: '/dashboard/stream',
      headers: () => ({ 'x-api-key': key }),
      onEvent: (event: string, data: unknown) => events.push([event, data]),
      onState: (state: string) => states.push(state),
      fetchImpl: async (url: string, init: RequestInit) => {
        const stream = controlledResponse(init.signal as AbortSignal);
        connections.push({ url, init, stream });
        return stream.response;
      },
      delay: () => 1,
    });
    await until(() => connections.length === 1, 'the first connection');
    expect(connections[0].url).toBe('/dashboard/stream');
    expect(connections[0].init.headers).toMatchObject({ 'x-api-key': 'first-key', accept: 'text/event-stream' });
    connections[0].stream.write('event: snapshot\ndata: {"n":1}\n\nevent: snapshot\ndata: not json\n\n');
    await until(() => events.length === 2, 'two events');
    expect(events).toEqual([['snapshot', { n: 1 }], ['snapshot', 'not json']]);
    expect(states).toEqual(['connecting', 'open']);

    key = 'second-key';
    connections[0].stream.close();
    await until(() => connections.length === 2, 'a reconnection');
    expect(connections[1].init.headers).toMatchObject({ 'x-api-key': 'second-key' });
    expect(states).toContain('reconnecting');
    handle.close();
    expect(states[states.length - 1]).toBe('closed');
  });

  it('reconnects a stream that goes silent, and after a failed connection', async () => {
    let calls = 0;
    const handle = openEventStream({
      url: '/s',
      headers: () => ({}),
      onEvent: () => undefined,
      fetchImpl: async (_url: string, init: RequestInit) => {
        calls += 1;
        if (calls === 1) throw new TypeError('network down');
        if (calls === 2) return new Response('oops', { status: 503 });
        return controlledResponse(init.signal as AbortSignal).response;
      },
      silenceMs: 20,
      delay: () => 1,
    });
    await until(() => calls >= 4, 'a reconnection after the silent stream');
    handle.close();
  });

  it('stops at 401 and tells why, without trying again', async () => {
    let calls = 0;
    const states: Array<[string, unknown]> = [];
    openEventStream({
      url: '/s',
      headers: () => ({ 'x-api-key': 'revoked' }),
      onEvent: () => undefined,
      onState: (state: string, detail: unknown) => states.push([state, detail]),
      fetchImpl: async () => {
        calls += 1;
        return new Response('{"code":"API_KEY_INVALID","message":"the API key is not valid"}', { status: 401 });
      },
      delay: () => 1,
    });
    await until(() => states.some(([state]) => state === 'unauthorized'), 'unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(1);
    expect(states.find(([state]) => state === 'unauthorized')?.[1]).toMatchObject({ status: 401, code: 'API_KEY_INVALID' });
  });
});
