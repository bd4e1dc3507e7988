// Server-Sent Events over fetch: EventSource cannot send headers, and the API key travels in a header, never in a
// URL. The parser follows the SSE format (event/data/id lines, comments, CR LF or LF line ends).

/** An incremental parser: feed it text as it arrives; it returns the events completed by that text. */
export function createEventParser() {
  let buffer = '';
  let event = '';
  let data = [];
  return function feed(text) {
    buffer += text;
    const completed = [];
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      const length = buffer.startsWith('\r\n', newline) ? 2 : 1;
      // A lone CR at the very end may be the first half of CR LF: wait for the next chunk.
      if (buffer[newline] === '\r' && length === 1 && newline === buffer.length - 1) break;
      buffer = buffer.slice(newline + length);
      if (line === '') {
        if (data.length > 0) completed.push({ event: event || 'message', data: data.join('\n') });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return completed;
  };
}

/** Delay before reconnection attempt `attempt` (0-based): 0.5 s doubling up to 8 s. */
export function reconnectDelayMs(attempt) {
  return Math.min(8_000, 500 * 2 ** Math.min(attempt, 4));
}

/**
 * Opens `url` as an event stream with the headers of `headers()` (read again at every connection) and keeps it
 * open: a dropped or silent stream (nothing for `silenceMs`, heartbeats included) is reconnected after
 * reconnectDelayMs. A 401 or 403 stops it (the key is wrong or revoked: `onState('unauthorized', body)`); other
 * failures are retried. States: 'connecting', 'open', 'reconnecting', 'unauthorized', 'closed'.
 * @param {{
 *   url: string,
 *   headers: () => Record<string, string>,
 *   onEvent: (event: string, data: any) => void,
 *   onState?: (state: string, detail?: any) => void,
 *   fetchImpl?: (url: string, init: RequestInit) => Promise<Response>,
 *   silenceMs?: number,
 *   delay?: (attempt: number) => number,
 * }} options
 * @returns {{ close(): void }}
 */
export function openEventStream({ url, headers, onEvent, onState, fetchImpl = fetch, silenceMs = 5_000, delay = reconnectDelayMs }) {
  let closed = false;
  let attempt = 0;
  let current;
  let retryTimer;

  const report = (state, detail) => {
    if (!closed || state === 'closed') onState?.(state, detail);
  };

  async function connect() {
    if (closed) return;
    report(attempt === 0 ? 'connecting' : 'reconnecting', { attempt });
    const controller = new AbortController();
    current = controller;
    let silence;
    const resetSilence = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), silenceMs);
    };
    try {
      resetSilence();
      const response = await fetchImpl(url, {
        headers: { accept: 'text/event-stream', ...headers() },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 401 || response.status === 403) {
        clearTimeout(silence);
        const body = await response.json().catch(() => ({}));
        closed = true;
        onState?.('unauthorized', { status: response.status, ...body });
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const feed = createEventParser();
      let opened = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        resetSilence();
        for (const event of feed(decoder.decode(value, { stream: true }))) {
          if (!opened) {
            opened = true;
            attempt = 0;
            report('open');
          }
          let data;
          try {
            data = JSON.parse(event.data);
          } catch {
            data = event.data;
          }
          onEvent(event.event, data);
        }
      }
    } catch {
      // Dropped, silent or refused: reconnect below.
    } finally {
      clearTimeout(silence);
    }
    if (closed) return;
    const wait = delay(attempt);
    attempt += 1;
    report('reconnecting', { attempt, inMs: wait });
    retryTimer = setTimeout(connect, wait);
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      current?.abort();
      report('closed');
    },
  };
}
