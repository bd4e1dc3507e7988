import { resolveSimulatorConfig } from '../config/resolve-simulator-config';
import type { ConfigEnvironment } from '../config/resolve-simulator-config';
import { JtsSimulator } from '../jts-simulator';
import { LineLogger } from '../logging/simulator-logger';
import { CLI_USAGE } from './cli-usage';
import { parseCliArguments } from './parse-cli-arguments';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: ConfigEnvironment;
  cwd: string;
}

/**
 * Runs the command line: prints the usage for --help (resolves undefined), otherwise starts the simulator
 * and prints the READY line once every port listens. Bad arguments or configuration reject with a
 * SimulatorConfigError naming the field; nothing is started then.
 */
export async function runSimulatorCli(argv: readonly string[], io: CliIo): Promise<JtsSimulator | undefined> {
  const cli = parseCliArguments(argv);
  if (cli.help) {
    io.stdout(CLI_USAGE);
    return undefined;
  }
  const config = resolveSimulatorConfig(cli, io.env, io.cwd);
  const logger = new LineLogger(cli.logLevel, io.stderr);
  const simulator = await JtsSimulator.start({ ...config, logger });
  logger.info('simulator ready', { admin: simulator.adminPort, brokers: simulator.brokerPorts(), seed: config.seed });
  io.stdout(`${simulator.readyLine()}\n`);
  return simulator;
}
