import { kisClient } from '../../../test/simulator-http';
import { SimulatorConfigError } from '../config/simulator-config-error';
import type { RestBrokerSimulator } from '../rest-broker-simulator';
import { CLI_USAGE } from './cli-usage';
import { runRestSimulatorCli } from './run-rest-simulator-cli';

jest.setTimeout(30_000);

describe('runRestSimulatorCli', () => {
  const output = { stdout: [] as string[], stderr: [] as string[] };
  const io = {
    stdout: (text: string) => output.stdout.push(text),
    stderr: (text: string) => output.stderr.push(text),
  };
  let simulator: RestBrokerSimulator | undefined;

  beforeEach(() => {
    output.stdout = [];
    output.stderr = [];
  });

  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });

  it('prints the usage for --help and starts nothing', async () => {
    await expect(runRestSimulatorCli(['--help'], io)).resolves.toBeUndefined();

    expect(output.stdout).toEqual([CLI_USAGE]);
    expect(CLI_USAGE).toContain('--broker id:TYPE:port[:preset]');
  });

  it('prints exactly one READY line with the chosen ports on stdout, and logs on stderr', async () => {
    simulator = await runRestSimulatorCli(['--broker', 'kis:KIS:0', '--broker', 'kw:KIWOOM:0', '--admin-port', '0'], io);

    expect(output.stdout).toHaveLength(1);
    const match = /^REST_BROKER_SIMULATOR_READY (\{.*\})\n$/.exec(output.stdout[0]);
    const ready = JSON.parse(match?.[1] ?? 'null') as { admin: number; brokers: Record<string, number> };
    expect(ready).toEqual({ admin: simulator?.adminPort, brokers: simulator?.brokerPorts() });
    expect(Object.keys(ready.brokers)).toEqual(['kis', 'kw']);
    expect(output.stderr.join('')).toContain('INFO simulator ready');
    expect((await kisClient(ready.brokers['kis']).issueToken()).status).toBe(200);
  });

  it('logs requests only at debug level, and never an app key, secret or token', async () => {
    simulator = await runRestSimulatorCli(['--broker', 'kis:KIS:0', '--admin-port', '0', '--log-level', 'debug'], io);
    const client = kisClient(simulator?.brokerPorts()['kis'] as number, 'PSlogged-key', 'logged-secret');

    await client.issueToken();
    await client.get('/uapi/domestic-stock/v1/quotations/inquire-price', 'FHKST01010100', { FID_COND_MRKT_DIV_CODE: 'J', FID_INPUT_ISCD: '005930' });

    const log = output.stderr.join('');
    expect(log).toContain('DEBUG request {"broker":"kis","apiId":"FHKST01010100"');
    expect(log).not.toMatch(new RegExp(`PSlogged-key|logged-secret|${client.token}`));
  });

  it('logs nothing at --log-level silent', async () => {
    simulator = await runRestSimulatorCli(['--broker', 'kis:KIS:0', '--admin-port', '0', '--log-level', 'silent'], io);

    expect(output.stderr).toEqual([]);
    expect(output.stdout).toHaveLength(1);
  });

  it('rejects a bad flag with a SimulatorConfigError naming it, before binding anything', async () => {
    const error = await runRestSimulatorCli(['--broker', 'kis:KIS:x'], io).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SimulatorConfigError);
    expect((error as SimulatorConfigError).message).toMatch(/^--broker kis:KIS:x: port must be an integer/);
    expect(output.stdout).toEqual([]);
  });
});
