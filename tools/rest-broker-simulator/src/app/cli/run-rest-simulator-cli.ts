import { lineLogger } from '../logging/simulator-logger';
import { RestBrokerSimulator } from '../rest-broker-simulator';
import { CLI_USAGE } from './cli-usage';
import { parseCliArguments } from './parse-cli-arguments';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Runs the command line: the usage for --help (resolves undefined), else starts the simulator and prints
 * the READY line once every port listens. Bad flags reject with a SimulatorConfigError naming the flag.
 */
export async function runRestSimulatorCli(argv: readonly string[], io: CliIo): Promise<RestBrokerSimulator | undefined> {
  const cli = parseCliArguments(argv);
  if (cli.help) {
    io.stdout(CLI_USAGE);
    return undefined;
  }
  const logger = lineLogger(cli.logLevel, io.stderr);
  const simulator = await RestBrokerSimulator.start(cli.config, logger);
  logger.info('simulator ready', { admin: simulator.adminPort, brokers: simulator.brokerPorts(), seed: cli.config.seed });
  io.stdout(`${simulator.readyLine()}\n`);
  return simulator;
}
