import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { REDACTED_LOG_PATHS, REDACTION_CENSOR } from './log-redaction';

/** Where log lines go: stdout (tests replace it to read what was logged). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** Probes and scrapes would drown the request log; their failures show in their own answers. */
const QUIET_PATHS = /^\/(health\/|metrics(\?|$)|dashboard\/data)/;

@Module({
  providers: [{ provide: LOG_DESTINATION, useValue: process.stdout }],
  exports: [LOG_DESTINATION],
})
export class LogDestinationModule {}

/**
 * Structured JSON logs (nestjs-pino) at LOG_LEVEL, with secrets redacted: credential headers and secret-named
 * fields. The application logs through it once `app.useLogger(app.get(Logger))` is called.
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
            redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTION_CENSOR },
            autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
            customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
              error !== undefined || response.statusCode >= 500
                ? 'error'
                : response.statusCode >= 400
                  ? 'warn'
                  : 'info',
          },
          destination,
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
