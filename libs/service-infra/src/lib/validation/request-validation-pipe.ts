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

/** Route parameters remembered as valid, at most (the oldest make room). */
export const MAX_REMEMBERED_ROUTE_PARAMS = 1_000;

/**
 * Nest's ValidationPipe for HTTP arguments, after a check of the body's and the query's shape (depth, prototype
 * keys: assertSafeJsonShape) that keeps the recursive transformation safe. gRPC handlers receive generated message
 * objects (interfaces, nothing to validate by class) and validate them with validatePlain, so their arguments pass
 * through untouched, at once.
 */
export class RequestValidationPipe extends ValidationPipe {
  /**
   * Route parameters (path segments: a broker id, a symbol) that passed, by class and value. Their rules are
   * formats, so a value that passed once passes again; the same few are requested over and over, and running the
   * class-validator rules on each request was a visible share of a GET's cost. Refusals are not kept.
   */
  private readonly validParams = new Map<string, { metatype: unknown; fields: Record<string, unknown> }>();

  constructor() {
    super({ ...REQUEST_VALIDATION_OPTIONS });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!HTTP_ARGUMENT_TYPES.has(metadata.type)) return value;
    if (metadata.type === 'body' || metadata.type === 'query') assertSafeJsonShape(value, metadata.type);
    if (metadata.type !== 'param' || metadata.metatype === undefined || metadata.data !== undefined) return super.transform(value, metadata);
    const key = `${metadata.metatype.name}\u0000${JSON.stringify(value)}`;
    const known = this.validParams.get(key);
    // A fresh instance per request: a handler may change its arguments.
    if (known !== undefined && known.metatype === metadata.metatype) return Object.assign(Object.create(metadata.metatype.prototype as object) as object, known.fields);
    const transformed = (await super.transform(value, metadata)) as Record<string, unknown>;
    if (this.validParams.size >= MAX_REMEMBERED_ROUTE_PARAMS) this.validParams.delete(this.validParams.keys().next().value as string);
    this.validParams.set(key, { metatype: metadata.metatype, fields: { ...transformed } });
    return transformed;
  }
}

/** The global pipe of a service, registered as APP_PIPE: a refusal is a 400 / INVALID_ARGUMENT naming the field. */
export function createRequestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe();
}
