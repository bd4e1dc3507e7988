import type { ValidationError } from 'class-validator';

/** One failed constraint of a class-validator error tree, with the full path of its field. */
export interface ValidationProblem {
  /** e.g. `brokers[1].accounts[0].type`, `symbols[2]`. */
  path: string;
  /** The class-validator constraint name, e.g. `isIn`, `whitelistValidation`. */
  constraint: string;
  /** The message re-rooted at the path: `brokers[1].accounts[0].type must be one of REAL, PAPER`. */
  message: string;
}

/**
 * Flattens class-validator's error tree into one problem per failed constraint. Messages name fields, never
 * values (validation runs with `value: false`): a rejected value may be a secret pasted into the wrong field.
 */
export function flattenValidationErrors(errors: readonly ValidationError[], parentPath = ''): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const error of errors) {
    const path = joinPath(parentPath, error.property);
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const rooted = message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`;
      problems.push({ path, constraint, message: rooted });
    }
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, path));
  }
  return problems;
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
