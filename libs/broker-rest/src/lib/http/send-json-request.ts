import { RestResponse } from './rest-response';
import { RestTransportError } from './rest-transport-error';

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  /** The caller gave up (a quote stream ended): the request is cancelled and its reason rethrown. */
  signal?: AbortSignal;
}

/** Response headers kept for the adapters (continuation of paged inquiries). */
const KEPT_RESPONSE_HEADERS = ['tr_cont', 'cont-yn', 'next-key'] as const;

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Error codes (undici / Node) of failures before any byte of the request was sent. */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Sends one JSON request with a deadline and returns status and body; transport failures become a
 * RestTransportError that says whether the broker may have received the request. Never retries, and
 * never puts the headers (keys, tokens) into an error message.
 */
export async function sendJsonRequest(fetchFn: FetchFunction, request: JsonRequest): Promise<RestResponse> {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal === undefined ? deadline : AbortSignal.any([deadline, request.signal]);
  let response: Response;
  try {
    response = await fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
    });
  } catch (error) {
    if (request.signal?.aborted === true && !deadline.aborted) {
      throw abortReason(request.signal);
    }
    throw classifyFetchFailure(error, request, deadline.aborted);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The status line arrived: the broker has the request.
    throw new RestTransportError('network', `${describe(request)}: the response body could not be read`, {
      cause: error,
    });
  }
  return { status: response.status, body: parseBody(text), headers: keptHeaders(response.headers) };
}

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_RESPONSE_HEADERS) {
    const value = headers.get(name);
    if (value !== null) {
      kept[name] = value;
    }
  }
  return kept;
}

/** The reason an aborted signal carries, as an Error (AbortSignal.abort() gives a DOMException). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError');
}

function classifyFetchFailure(error: unknown, request: JsonRequest, timedOut: boolean): RestTransportError {
  if (timedOut || isAbortOrTimeout(error)) {
    return new RestTransportError('timeout', `${describe(request)} timed out after ${request.timeoutMs} ms`, {
      cause: error,
    });
  }
  const code = errorCodeOf(error);
  if (code !== undefined && NOT_CONNECTED_CODES.has(code)) {
    return new RestTransportError('connection', `${describe(request)}: could not connect (${code})`, {
      cause: error,
    });
  }
  return new RestTransportError(
    'network',
    `${describe(request)}: the connection failed${code === undefined ? '' : ` (${code})`}`,
    {
      cause: error,
    },
  );
}

/** By name, not instanceof: fetch rejects with a DOMException, which may come from another realm. */
function isAbortOrTimeout(error: unknown): boolean {
  const name = error !== null && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** undici wraps the socket error: TypeError('fetch failed', { cause: { code } }). */
function errorCodeOf(error: unknown): string | undefined {
  for (
    let current: unknown = error, depth = 0;
    current !== undefined && current !== null && depth < 4;
    depth += 1
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function parseBody(text: string): unknown {
  if (text.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Method and path only: the query string of a read may hold the account number. */
function describe(request: JsonRequest): string {
  const path = request.url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, '');
  return `${request.method} ${path}`;
}
