import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers, type DestinationStream } from 'pino';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { redactSecretFields, redactUrl } from './log-redaction';

/** Where log lines go: stdout (tests replace it to read what was logged). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** Probes and scrapes would drown the request log; their failures show in their own answers. */
const QUIET_PATHS = /^\/(health\/|metrics(\?|$)|dashboard\/data)/;

/**
 * The level of a request's log line. 500s are bugs (error). 503 and 504 are the brokers' state, which the broker
 * connections log once per change: per request they are routine (info), so an outage does not flood the log at warn.
 * Other client errors: warn.
 */
export function requestLogLevel(statusCode: number, error?: Error): 'error' | 'warn' | 'info' {
  if (statusCode === 503 || statusCode === 504) return 'info';
  if (error !== undefined || statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'warn' : 'info';
}

type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string };

/**
 * What a request's log line says of the request: its id, method, URL (secrets in the query redacted), and the
 * caller's address, read from the request itself (pino-http's own serializer is not run first: it copies every
 * header). No headers: they carry credentials, which had to be redacted on every line, and say nothing an operator
 * needs that the route, status and time do not.
 */
function requestSerializer(secrets: readonly string[]) {
  return (request: LoggedRequest): Record<string, unknown> => ({
    id: request.id,
    method: request.method,
    url: redactUrl(request.originalUrl ?? request.url ?? '', secrets),
    remoteAddress: request.socket?.remoteAddress,
  });
}

/** Of the response, the status: its headers are the same security headers on every answer. */
function responseSerializer(response: ServerResponse): Record<string, unknown> {
  return { statusCode: response.statusCode };
}

/**
 * pino-http logs a 5xx without an error with a made-up `Error('failed with status code 503')` and its stack; the
 * status says it all, so the made-up error is left out (a real one, set by the exception filter, stays).
 */
function withoutMadeUpError(_request: IncomingMessage, response: ServerResponse & { err?: unknown }, error: Error, line: Record<string, unknown>) {
  if (response.err !== undefined || error.message !== `failed with status code ${response.statusCode}`) return line;
  const { err: _madeUp, ...rest } = line;
  return rest;
}

@Module({
  providers: [{ provide: LOG_DESTINATION, useValue: process.stdout }],
  exports: [LOG_DESTINATION],
})
export class LogDestinationModule {}

/**
 * Structured JSON logs (nestjs-pino) at LOG_LEVEL, with secrets redacted: the value of every secret-named field
 * or credential header, at any depth, in each line as it is written. The application logs through it once
 * `app.useLogger(app.get(Logger))` is called.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogDestinationModule],
      inject: [PLATFORM_CONFIG, LOG_DESTINATION],
      useFactory: (config: PlatformConfig, destination: DestinationStream) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            hooks: { streamWrite: redactSecretFields },
            serializers: {
              req: requestSerializer(config.adminApiKey === undefined ? [] : [config.adminApiKey]),
              res: responseSerializer,
              err: stdSerializers.err,
            },
            wrapSerializers: false,
            autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
            customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
              requestLogLevel(response.statusCode, error),
            customErrorObject: withoutMadeUpError,
          },
          destination,
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
