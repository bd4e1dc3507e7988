import { ConfigValidationError, loadPlatformConfig } from '@qts/platform-config';

/** The exit code of a process stopped by its configuration (a usage error: restarting it cannot help). */
export const INVALID_CONFIGURATION_EXIT_CODE = 2;

/**
 * Validates the configuration before anything else starts, so that a bad file or variable stops the process with
 * its message alone (every problem, each naming its field or variable), exit code 2 and no stack trace.
 */
export function exitOnInvalidConfiguration(): void {
  try {
    loadPlatformConfig();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    console.error(error.message);
    process.exit(INVALID_CONFIGURATION_EXIT_CODE);
  }
}
