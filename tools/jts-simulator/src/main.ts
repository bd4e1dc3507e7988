import { runSimulatorCli } from './app/cli/run-simulator-cli';
import { SimulatorConfigError } from './app/config/simulator-config-error';
import type { JtsSimulator } from './app/jts-simulator';

/** Grace for calls in flight on SIGINT/SIGTERM before the servers are cut. */
const SHUTDOWN_GRACE_MS = 500;
/** A shutdown stuck beyond this exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5_000;

/**
 * Clean stop on SIGINT/SIGTERM. Repeats are ignored: Ctrl-C reaches both a wrapper script and this
 * process (one process group), and the wrapper forwards it once more; the deadline bounds the wait.
 */
function shutdownOnSignals(started: Promise<JtsSimulator | undefined>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write(`jts-simulator: ${signal}, shutting down\n`);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    started
      .then((simulator) => simulator?.stop(SHUTDOWN_GRACE_MS))
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// The handlers are in place before the READY line can be printed: a signal right after it must stop the
// simulator cleanly, not kill it by the default action.
const started = runSimulatorCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
shutdownOnSignals(started);
started.catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`jts-simulator: ${message}\n`);
  process.exit(error instanceof SimulatorConfigError ? 2 : 1);
});
