import type { ValidationError } from 'class-validator';

/**
 * Flattens class-validator's error tree into one line per problem with the full field path,
 * e.g. `brokers[1].accounts[0].type must be one of REAL, PAPER`.
 */
export function describeValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = joinPath(parentPath, error.property);
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      if (constraint === 'whitelistValidation') {
        lines.push(`${path} is not a known setting`);
        continue;
      }
      lines.push(message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : `${path} ${message}`);
    }
    if (error.children?.length) lines.push(...describeValidationErrors(error.children, path));
  }
  return lines;
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
