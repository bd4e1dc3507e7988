/**
 * A credential could not be read. The message names the configuration field and the variable or file,
 * never a value.
 */
export class CredentialError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'CredentialError';
    this.field = field;
  }
}
