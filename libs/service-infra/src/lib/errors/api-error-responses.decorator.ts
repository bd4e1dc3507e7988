import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorBody } from './error-body';

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Bad input (the message names the field)',
  401: 'No API key, or an unknown or revoked one',
  403: 'The API key lacks the scope, or live trading is not allowed on a REAL account',
  404: 'Unknown broker, account, symbol, order or key',
  409: 'Conflict: an Idempotency-Key reused with a different request or still in progress, an account that clashes with a configured or already added one, or a settlement of an order that is not waiting for an operator',
  422: 'The broker refused the order (insufficient funds, rejected)',
  429: 'Rate limited: wait Retry-After seconds',
  503: 'Broker unavailable, or (account changes) the execution worker could not confirm: nothing was changed',
  504: 'Broker timeout (for an order: outcome unknown, retry with the same Idempotency-Key)',
};

/** Documents error answers with the `{ statusCode, code, message }` schema. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBody),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        // Explicit content: errors are JSON even on routes that produce HTML or an event stream.
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBody) } } },
        ...(status === 429 && {
          headers: { 'Retry-After': { description: 'Seconds to wait, rounded up', schema: { type: 'integer' } } },
        }),
      }),
    ),
  );
}
