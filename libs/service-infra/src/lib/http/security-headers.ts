import type { IncomingMessage, ServerResponse } from 'node:http';

/** The policy of every answer that is not an HTML page: JSON, event streams and metrics load nothing. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The policy of HTML pages served by the service itself (the OpenAPI UI): scripts, styles and data from itself only. */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export interface SecurityHeadersOptions {
  /** Path prefixes of HTML pages that load their own scripts and styles ('/docs'); they get PAGE_CONTENT_SECURITY_POLICY. */
  pagePaths?: readonly string[];
}

/**
 * The response headers helmet would set, for every answer of the service: no MIME sniffing, no framing, no referrer,
 * isolated browsing context, a Content-Security-Policy (a route may set a stricter one of its own, as the dashboard
 * does), no X-Powered-By, and `Cache-Control: no-store`: answers carry account data and keys, which no browser or
 * proxy should keep (a route may set its own caching). HSTS belongs to whatever terminates TLS in front.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}) {
  const pagePaths = options.pagePaths ?? [];
  return function securityHeaders(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const path = request.url ?? '/';
    const page = pagePaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`));
    response.removeHeader('X-Powered-By');
    response.setHeader('Content-Security-Policy', page ? PAGE_CONTENT_SECURITY_POLICY : API_CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    response.setHeader('Origin-Agent-Cluster', '?1');
    response.setHeader('X-DNS-Prefetch-Control', 'off');
    response.setHeader('X-Permitted-Cross-Domain-Policies', 'none');
    response.setHeader('Cache-Control', 'no-store');
    next();
  };
}
