import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request headers a browser client of the APIs sends. */
export const CORS_ALLOWED_HEADERS = ['X-API-Key', 'Content-Type', 'Idempotency-Key'];
/** Response headers such a client may read besides the simple ones. */
export const CORS_EXPOSED_HEADERS = ['Retry-After', 'Idempotent-Replayed', 'X-Data-Source'];
const CORS_ALLOWED_METHODS = ['GET', 'POST', 'DELETE'];
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS with an allow-list of origins (CORS_ALLOWED_ORIGINS; empty by default: no cross-origin browser access).
 * Preflights (OPTIONS with Access-Control-Request-Method) are answered here, 204, with the allowance for a listed
 * origin and without it for any other, which the browser then refuses. No credentials: keys travel in a header,
 * never in cookies.
 */
export function corsPolicy(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return function corsPolicy(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const origin = request.headers.origin;
    if (origin === undefined) return next();
    appendVary(response, 'Origin');
    const permitted = allowed.has(origin);
    if (permitted) response.setHeader('Access-Control-Allow-Origin', origin);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      if (permitted) {
        response.setHeader('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS.join(', '));
        response.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
        response.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      response.statusCode = 204;
      response.setHeader('Content-Length', '0');
      response.end();
      return;
    }
    if (permitted) response.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
    next();
  };
}

function appendVary(response: ServerResponse, field: string): void {
  const current = response.getHeader('Vary');
  const values = current === undefined ? [] : String(current).split(',').map((value) => value.trim());
  if (!values.includes(field)) response.setHeader('Vary', [...values.filter((value) => value !== ''), field].join(', '));
}
