import type { ServerResponse } from 'node:http';
import { classifyError } from '@qts/service-infra';
import type { OpenQuoteStream } from '../market-data/market-data.service';

/** A comment line now and then keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;

/**
 * Writes a quote stream as Server-Sent Events (`event: quote`, data = the quote JSON) until the broker
 * stream ends, fails (a final `event: error` with the error body) or `signal` aborts (client gone). The
 * broker stream is always closed before this returns.
 */
export async function writeQuotesAsServerSentEvents(
  response: ServerResponse,
  stream: OpenQuoteStream,
  signal: AbortSignal,
): Promise<void> {
  response.statusCode = 200;
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  writeEvent(response, 'quote', stream.first.toJSON());
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    while (!signal.aborted) {
      const next = await stream.rest.next();
      if (next.done || signal.aborted) break;
      writeEvent(response, 'quote', next.value.toJSON());
    }
  } catch (error) {
    if (!signal.aborted) {
      const { httpStatus, code, message } = classifyError(error);
      writeEvent(response, 'error', { statusCode: httpStatus, code, message });
    }
  } finally {
    clearInterval(heartbeat);
    await stream.rest.return?.().catch(() => undefined);
    response.end();
  }
}

function writeEvent(response: ServerResponse, event: string, data: unknown): void {
  if (response.writableEnded) return;
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
