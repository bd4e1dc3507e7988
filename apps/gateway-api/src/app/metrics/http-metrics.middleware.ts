import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayMetrics } from './gateway-metrics';

/** Label of requests no route matched: raw URLs would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every HTTP request by route template (`/api/v1/brokers/:brokerId`), when the response
 * is finished. A middleware rather than an interceptor: it also sees answers that never reach a handler
 * (guard rejections, body-parser errors, unknown routes).
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: GatewayMetrics) {}

  use(request: RoutedRequest, response: ServerResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => record(this.metrics, request, response, started));
    response.once('close', () => {
      // A client that leaves an SSE stream never gets 'finish'.
      if (!response.writableFinished) record(this.metrics, request, response, started);
    });
    next();
  }
}

/** Express sets `route` on the request once a route matched. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

function record(metrics: GatewayMetrics, request: RoutedRequest, response: ServerResponse, started: bigint): void {
  const route = request.route?.path;
  metrics.recordHttpRequest(
    request.method ?? 'UNKNOWN',
    // Express reports Nest's catch-all (`/{*path}`) for requests no controller route matched.
    typeof route === 'string' && !route.includes('*') ? route : UNMATCHED_ROUTE,
    response.statusCode,
    Number(process.hrtime.bigint() - started) / 1e9,
  );
}
