import { Metadata } from '@grpc/grpc-js';
import { jtsV1 } from '@qts/grpc-contracts';
import { callOptions, jtsClients, unary } from '../../../test/jts-test-clients';
import { SimulatorConfigError } from '../config/simulator-config-error';
import type { JtsSimulator } from '../jts-simulator';
import { CLI_USAGE } from './cli-usage';
import { runSimulatorCli } from './run-simulator-cli';

jest.setTimeout(30_000);

describe('runSimulatorCli', () => {
  const output = { stdout: [] as string[], stderr: [] as string[] };
  const io = {
    stdout: (text: string) => output.stdout.push(text),
    stderr: (text: string) => output.stderr.push(text),
    env: {},
    cwd: process.cwd(),
  };
  let simulator: JtsSimulator | undefined;

  beforeEach(() => {
    output.stdout = [];
    output.stderr = [];
  });

  afterEach(async () => {
    await simulator?.stop(0);
    simulator = undefined;
  });

  it('prints the usage for --help and starts nothing', async () => {
    await expect(runSimulatorCli(['--help'], io)).resolves.toBeUndefined();

    expect(output.stdout).toEqual([CLI_USAGE]);
    expect(CLI_USAGE).toContain('--broker <id:TYPE:port[:preset]>');
  });

  it('starts the brokers of the flags and prints exactly one READY line with the ports', async () => {
    simulator = await runSimulatorCli(['--broker', 'kis:KIS:0', '--admin-port', '0', '--log-level', 'info'], io);

    expect(output.stdout).toHaveLength(1);
    const match = /^JTS_SIMULATOR_READY (\{.*\})\n$/.exec(output.stdout[0]);
    const ready = JSON.parse(match?.[1] ?? 'null') as { admin: number; brokers: Record<string, number> };
    expect(ready).toEqual({ admin: simulator?.adminPort, brokers: { kis: simulator?.broker('kis').port } });
    expect(output.stderr.join('')).toContain('INFO simulator ready');

    const clients = jtsClients(`127.0.0.1:${ready.brokers['kis']}`);
    try {
      const symbols = await unary<jtsV1.GetSymbolsResponse>((cb) => clients.marketData.getSymbols({}, new Metadata(), callOptions(), cb));
      expect(symbols.symbols.length).toBeGreaterThan(0);
    } finally {
      clients.close();
    }
  });

  it('logs each request only at debug level', async () => {
    simulator = await runSimulatorCli(['--broker', 'kis:KIS:0', '--admin-port', '0', '--log-level', 'debug'], io);
    const clients = jtsClients(simulator?.brokerAddress('kis') as string);
    try {
      await unary((cb) => clients.marketData.getSymbols({}, new Metadata(), callOptions(), cb));
    } finally {
      clients.close();
    }

    expect(output.stderr.join('')).toMatch(/DEBUG kis GetSymbols \{"status":"OK"/);
  });

  it('rejects bad configuration naming the field, before starting anything', async () => {
    await expect(runSimulatorCli(['--broker', 'kis:KIS:99999'], io)).rejects.toThrow(SimulatorConfigError);
    expect(output.stdout).toEqual([]);
  });
});
