import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer of a simulated broker. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body,
  ...(headers === undefined ? {} : { headers }),
});

/** Largest request body read; brokers' requests are a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** The JSON object of a request body; undefined for an empty body; 'invalid' for anything else. */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined | 'invalid'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      return 'invalid';
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'invalid';
  } catch {
    return 'invalid';
  }
}

export function send(response: ServerResponse, answer: Answer): void {
  if (response.destroyed || response.writableEnded) {
    return;
  }
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  response.end(text);
}

/** Header value as one string ('' when absent). */
export function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a JSON body or query as a string ('' for absent), as both brokers send them. */
export function field(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
