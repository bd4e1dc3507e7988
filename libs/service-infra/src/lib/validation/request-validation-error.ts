import type { ValidationError } from 'class-validator';
import { flattenValidationErrors } from '@qts/platform-config';
import { RequestValidationError } from '../errors/platform-errors';

/**
 * The RequestValidationError of a refused request: one line per problem, each starting with the field path
 * (`price must be a decimal string`), and the offending fields. Names fields, never values.
 */
export function requestValidationError(errors: readonly ValidationError[]): RequestValidationError {
  const problems = flattenValidationErrors(errors);
  return new RequestValidationError(
    problems.map((problem) => {
      if (problem.constraint === 'whitelistValidation') return `${problem.path} is not an accepted field`;
      if (problem.constraint === 'unknownValue') return 'the request body must be a JSON object';
      return problem.message;
    }),
    [...new Set(problems.map((problem) => problem.path))],
  );
}
