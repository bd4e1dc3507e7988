import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import type { ErrorBody } from './error-body';
import { classifyError, retryAfterSeconds } from './error-classification';

/**
 * The one exception filter (registered as APP_FILTER): every failure of an HTTP route becomes
 * `{ statusCode, code, message }` with the status of brief section 6, plus `Retry-After` on 429.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(GatewayExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const classification = classifyError(error);
    if (classification.unexpected) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
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
