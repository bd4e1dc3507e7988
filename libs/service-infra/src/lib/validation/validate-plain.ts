import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { requestValidationError } from './request-validation-error';

/**
 * Validates a plain object against a DTO class with the rules of the global ValidationPipe (whitelist,
 * forbidNonWhitelisted): how a gRPC method refuses exactly what the matching HTTP route refuses.
 */
export function validatePlain<T extends object>(type: ClassConstructor<T>, plain: object): T {
  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw requestValidationError(errors);
  return instance;
}
