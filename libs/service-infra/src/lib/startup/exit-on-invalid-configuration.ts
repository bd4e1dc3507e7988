import { ConfigValidationError, loadPlatformConfig } from '@qts/platform-config';

/**
 * Validates the configuration before anything else starts, so that a bad file or variable stops the process with
 * its message alone (every problem, each naming its field or variable), exit code 1 and no stack trace.
 */
export function exitOnInvalidConfiguration(): void {
  try {
    loadPlatformConfig();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
