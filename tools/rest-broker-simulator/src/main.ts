import { runRestSimulatorCli } from './app/cli/run-rest-simulator-cli';
import { SimulatorConfigError } from './app/config/simulator-config-error';
import type { RestBrokerSimulator } from './app/rest-broker-simulator';

/** A shutdown stuck beyond this exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5_000;

function shutdownOnSignals(started: Promise<RestBrokerSimulator | undefined>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write(`rest-broker-simulator: ${signal}, shutting down\n`);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    started
      .then((simulator) => simulator?.stop())
      .then(
        () => {
          process.stderr.write('rest-broker-simulator: simulator stopped\n');
          process.exit(0);
        },
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// The handlers are in place before the READY line can be printed: a signal right after it must stop the
// simulator cleanly, not kill it by the default action.
const started = runRestSimulatorCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
shutdownOnSignals(started);
started.catch((error: unknown) => {
  process.stderr.write(`rest-broker-simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof SimulatorConfigError ? 2 : 1);
});
