import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RequestValidationError } from '../errors/gateway-errors';
import { describeValidationErrors } from './describe-validation-errors';

/**
 * Validates a plain object against a DTO class with the rules of the global ValidationPipe (whitelist,
 * forbidNonWhitelisted): how the gRPC API refuses exactly what the REST API refuses.
 */
export function validatePlain<T extends object>(type: ClassConstructor<T>, plain: object): T {
  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    const { problems, fields } = describeValidationErrors(errors);
    throw new RequestValidationError(problems, fields);
  }
  return instance;
}
