import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
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

/** The global ValidationPipe of a service, registered as APP_PIPE: a refusal is a 400 / INVALID_ARGUMENT naming the field. */
export function createRequestValidationPipe(): ValidationPipe {
  return new ValidationPipe({ ...REQUEST_VALIDATION_OPTIONS });
}
