import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyVerifier } from './api-key-verifier';
import type { ApiPrincipal } from './api-principal';

/** The header of HTTP requests and the metadata key of gRPC calls that carry the API key. */
export const API_KEY_HEADER = 'x-api-key';

/** What the authentication before the body found: the caller, or why there is none. */
export type EarlyAuthentication = { principal: ApiPrincipal } | { refusal: unknown };

const EARLY_AUTHENTICATION = Symbol('qts:early-authentication');

type AuthenticatedRequest = IncomingMessage & { [EARLY_AUTHENTICATION]?: EarlyAuthentication };

/** True when the request carries a body (the test of body parsers: a length other than 0, or chunked). */
export function requestHasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * HTTP middleware that authenticates every request with a body before the body is read: a body parser only reads
 * the body of an authenticated caller (bodyMayBeRead), so nothing an anonymous caller sends is parsed or validated,
 * and its connection is closed after the answer instead of reading the rest. The API-key guard answers the refusal
 * (401) and checks the route's scope; it reuses the principal found here.
 */
export function authenticateBeforeBody(verifier: ApiKeyVerifier) {
  return function authenticateBeforeBody(request: IncomingMessage, response: ServerResponse, next: () => void): Promise<void> | void {
    if (!requestHasBody(request)) return next();
    return verifier.authenticate(request.headers[API_KEY_HEADER]).then(
      (principal) => {
        (request as AuthenticatedRequest)[EARLY_AUTHENTICATION] = { principal };
        next();
      },
      (refusal: unknown) => {
        (request as AuthenticatedRequest)[EARLY_AUTHENTICATION] = { refusal };
        response.setHeader('Connection', 'close');
        next();
      },
    );
  };
}

/** What authenticateBeforeBody found for the request; undefined when it had no body. */
export function earlyAuthenticationOf(request: IncomingMessage): EarlyAuthentication | undefined {
  return (request as AuthenticatedRequest)[EARLY_AUTHENTICATION];
}

/** Whether a body parser may read the request's body: only an authenticated caller's. */
export function bodyMayBeRead(request: IncomingMessage): boolean {
  const early = earlyAuthenticationOf(request);
  return early !== undefined && 'principal' in early;
}
