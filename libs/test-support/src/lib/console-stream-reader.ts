import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The HTTP server of a test app, listening on 127.0.0.1 (port 0) if it is not yet. */
export async function listeningUrl(server: http.Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An open console stream: its answer's status and headers, the events read so far, and a way to close it. */
export interface ConsoleStreamReader {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: Array<{ event: string; data: unknown }>;
  /** Resolves with the first event after `from` (an index into events) that satisfies `accept`. */
  next(accept?: (event: { event: string; data: unknown }) => boolean, timeoutMs?: number): Promise<{ event: string; data: unknown }>;
  ended: Promise<void>;
  close(): void;
}

/** Opens `path` as an event stream with headers, the way the console page does (fetch, never EventSource). */
export function openConsoleStream(baseUrl: string, path: string, headers: Record<string, string>): Promise<ConsoleStreamReader> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: Array<{ event: string; data: unknown }> = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          let parsed: unknown = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // Not JSON: kept as text.
          }
          events.push({ event, data: parsed });
          for (const wake of [...waiters]) wake();
        }
      });
      const ended = new Promise<void>((done) => {
        response.on('end', () => done());
        response.on('close', () => done());
      });
      let seen = 0;
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        ended,
        close: () => request.destroy(),
        next: (accept = () => true, timeoutMs = 10_000) =>
          new Promise((found, fail) => {
            const check = () => {
              while (seen < events.length) {
                const candidate = events[seen++];
                if (accept(candidate)) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  found(candidate);
                  return;
                }
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event within ${timeoutMs} ms (${events.length} events)`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
      });
    });
    request.on('error', reject);
  });
}
