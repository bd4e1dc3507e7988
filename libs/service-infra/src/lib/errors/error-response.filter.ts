import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { throwError, type Observable } from 'rxjs';
import { classifyError, retryAfterSeconds, type ErrorClassification } from './classify-error';
import type { ErrorBody } from './error-body';
import { toGrpcErrorStatus } from './grpc-error-status';

/**
 * The one exception filter of a service (APP_FILTER), for HTTP routes and gRPC methods alike: every failure is
 * classified once (classifyError) and answered as `{ statusCode, code, message }` with `Retry-After` on 429, or
 * as a gRPC status with the stable code in the `qts-error-code` trailer and `retry-after-ms`.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorResponseFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void | Observable<never> {
    const classification = classifyError(error);
    if (classification.unexpected) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (host.getType() === 'rpc') {
      return throwError(() => toGrpcErrorStatus(classification));
    }
    this.replyHttp(classification, host.switchToHttp().getResponse<ServerResponse>());
  }

  private replyHttp(classification: ErrorClassification, response: ServerResponse): void {
    if (response.headersSent) {
      // A stream (SSE) that already answered 200: all that is left is to end it.
      response.end();
      return;
    }
    const adapter = this.adapterHost.httpAdapter;
    if (classification.httpStatus === 429) {
      adapter.setHeader(response, 'Retry-After', String(retryAfterSeconds(classification.retryAfterMs)));
    }
    const body: ErrorBody = {
      statusCode: classification.httpStatus,
      code: classification.code,
      message: classification.message,
    };
    adapter.reply(response, body, classification.httpStatus);
  }
}
