import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { assertSafeJsonShape } from '../http/json-body-shape';
import { requestValidationError } from './request-validation-error';

/** Options shared by the global pipe (HTTP) and validatePlain (gRPC), so both refuse the same inputs. */
export const REQUEST_VALIDATION_OPTIONS: Readonly<ValidationPipeOptions> = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  // No implicit conversion: "10" is not a quantity and 71500 is not a decimal string.
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors: ValidationError[]) => requestValidationError(errors),
});

/** The argument types of HTTP route parameters; gRPC methods get numeric ones (payload, metadata, call). */
const HTTP_ARGUMENT_TYPES: ReadonlySet<unknown> = new Set(['body', 'query', 'param', 'custom']);

/**
 * Nest's ValidationPipe for HTTP arguments, after a check of the body's and the query's shape (depth, prototype
 * keys: assertSafeJsonShape) that keeps the recursive transformation safe. gRPC handlers receive generated message
 * objects (interfaces, nothing to validate by class) and validate them with validatePlain, so their arguments pass
 * through untouched, at once.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({ ...REQUEST_VALIDATION_OPTIONS });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!HTTP_ARGUMENT_TYPES.has(metadata.type)) return value;
    if (metadata.type === 'body' || metadata.type === 'query') assertSafeJsonShape(value, metadata.type);
    return super.transform(value, metadata);
  }
}

/** The global pipe of a service, registered as APP_PIPE: a refusal is a 400 / INVALID_ARGUMENT naming the field. */
export function createRequestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe();
}
