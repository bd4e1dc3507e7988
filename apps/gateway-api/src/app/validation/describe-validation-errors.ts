import type { ValidationError } from 'class-validator';

export interface DescribedValidationErrors {
  /** One line per problem, each starting with the field path, e.g. `price must be a decimal string`. */
  problems: string[];
  fields: string[];
}

/**
 * Flattens class-validator's error tree. Messages name fields, never values: a rejected value may be a
 * secret pasted into the wrong field.
 */
export function describeValidationErrors(errors: readonly ValidationError[], parentPath = ''): DescribedValidationErrors {
  const problems: string[] = [];
  const fields: string[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${parentPath}[${error.property}]`
      : parentPath
        ? `${parentPath}.${error.property}`
        : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length > 0) fields.push(path);
    for (const [name, message] of constraints) {
      if (name === 'whitelistValidation') {
        problems.push(`${path} is not an accepted field`);
      } else if (name === 'unknownValue') {
        problems.push('the request body must be a JSON object');
      } else {
        problems.push(message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`);
      }
    }
    if (error.children?.length) {
      const nested = describeValidationErrors(error.children, path);
      problems.push(...nested.problems);
      fields.push(...nested.fields);
    }
  }
  return { problems, fields };
}
