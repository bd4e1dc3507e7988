import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { RequestValidationError } from '../errors/gateway-errors';
import { describeValidationErrors } from './describe-validation-errors';

/** Options shared by the global pipe (REST) and validatePlain (gRPC), so both refuse the same inputs. */
export const GATEWAY_VALIDATION_OPTIONS: Readonly<ValidationPipeOptions> = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  // No implicit conversion: "10" is not a quantity and 71500 is not a decimal string.
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors: ValidationError[]) => {
    const { problems, fields } = describeValidationErrors(errors);
    return new RequestValidationError(problems, fields);
  },
});

/** The global ValidationPipe, registered as APP_PIPE. */
export function createGatewayValidationPipe(): ValidationPipe {
  return new ValidationPipe({ ...GATEWAY_VALIDATION_OPTIONS });
}
