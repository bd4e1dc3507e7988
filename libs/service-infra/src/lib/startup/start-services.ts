import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { UnsupportedMediaTypeException, type INestApplication } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_SECURITY_SETTINGS, PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { API_KEY_VERIFIER, type ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { authenticateBeforeBody, bodyMayBeRead, requestHasBody } from '../api-keys/authenticate-before-body';
import { PlatformGrpcServer } from '../grpc/platform-grpc-server';
import { corsPolicy } from '../http/cors-policy';
import { securityHeaders } from '../http/security-headers';
import { ServiceShutdown } from '../shutdown/service-shutdown';

/** Largest JSON body the HTTP APIs read (an order or a key request is a few hundred bytes); larger: 413. */
export const MAX_JSON_BODY = '100kb';

export interface StartServicesOptions {
  /** Path prefixes of HTML pages the service serves that load their own scripts and styles (the OpenAPI UI). */
  pagePaths?: readonly string[];
  /** Registers routes outside Nest's controllers (the OpenAPI UI), behind the HTTP front like every other route. */
  mountRoutes?: (app: INestApplication) => void;
}

/**
 * Starts a service the same way in main.ts and in tests: pino for Nest's own logs, the HTTP front (below), shutdown
 * hooks (SIGTERM runs the ServiceShutdown: readiness down, the servers and the service's work drained, then the
 * database closed), the gRPC server connected as a hybrid-application microservice, the application initialised
 * (lifecycle hooks: recovery, status publishers ...), and only then the gRPC port bound. The HTTP server is left to
 * the caller (`app.listen`, or supertest on `app.getHttpServer()`).
 *
 * The HTTP front, in this order before any route: security headers and no X-Powered-By, CORS with the configured
 * allow-list, the shutdown gate, authentication of every request that carries a body, and the JSON body parser,
 * which reads only an authenticated caller's body (Nest's own parsers are then not added: they are found by name).
 * An authenticated body of another content type is refused (415): the APIs take JSON only, and a body that is
 * silently not read would look like an empty one to a route whose fields are all optional.
 *
 * The gate stands after the headers and CORS, so that a stopping service's 503 SERVICE_STOPPING carries the same
 * headers as any answer (a listed origin's browser can read it), and before authentication: a stopping service
 * looks up no key in a database that is closing and reads no body; health and metrics pass it (probes keep
 * answering, readiness with 503).
 */
export async function startServices(app: INestApplication, options: StartServicesOptions = {}): Promise<PlatformGrpcServer> {
  app.useLogger(app.get(Logger));
  configureHttpFront(app as NestExpressApplication, options);
  options.mountRoutes?.(app);
  app.enableShutdownHooks();
  const grpc = app.get(PlatformGrpcServer);
  app.connectMicroservice<MicroserviceOptions>({ strategy: grpc }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  return grpc;
}

function configureHttpFront(app: NestExpressApplication, options: StartServicesOptions): void {
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  const verifier = app.get<ApiKeyVerifier>(API_KEY_VERIFIER);
  keepIdleConnectionsOpen(app.getHttpServer() as Server, config.httpKeepAliveTimeoutMs ?? DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS);
  app.disable('x-powered-by');
  // Answers are live data (quotes, orders, health): an ETag per answer costs a hash of each body and saves nothing.
  app.set('etag', false);
  app.use(securityHeaders({ pagePaths: options.pagePaths ?? [] }));
  app.use(corsPolicy((config.security ?? DEFAULT_SECURITY_SETTINGS).corsAllowedOrigins));
  // While the service drains, only health and metrics are served (ServiceShutdown).
  app.use(app.get(ServiceShutdown).httpGate());
  app.use(authenticateBeforeBody(verifier));
  app.useBodyParser('json', { limit: MAX_JSON_BODY, type: (request: IncomingMessage) => isJson(request) && bodyMayBeRead(request) });
  app.useBodyParser('urlencoded', { type: () => false });
  app.use(function refuseNonJsonBody(request: IncomingMessage, _response: ServerResponse, next: (error?: unknown) => void): void {
    next(requestHasBody(request) && bodyMayBeRead(request) && !isJson(request) ? new UnsupportedMediaTypeException() : undefined);
  });
}

/**
 * Node closes an idle keep-alive connection after 5 s by default: a client or load balancer that reuses it at that
 * moment gets a reset (socket hang up) for a request the service never saw. The server keeps it open longer than
 * the peers in front do (HTTP_KEEP_ALIVE_TIMEOUT_MS), so they close it first; the headers timeout must exceed it,
 * or a reused connection's next request could be cut by the headers timer.
 */
export function keepIdleConnectionsOpen(server: Server, keepAliveTimeoutMs: number): void {
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = keepAliveTimeoutMs + 1_000;
}

function isJson(request: IncomingMessage): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
