import { AccountType, BrokerType } from '@qts/broker-domain';
import { DEFAULT_ADMIN_PORT, DEFAULT_TOKEN_TTL_MS } from '../config/rest-simulator-config';
import { SimulatorConfigError } from '../config/simulator-config-error';
import { parseBrokerFlag, parseCliArguments } from './parse-cli-arguments';

function failure(argv: string[]): SimulatorConfigError {
  try {
    parseCliArguments(argv);
  } catch (error) {
    if (error instanceof SimulatorConfigError) return error;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseCliArguments', () => {
  it('serves KIS paper on 50071 and Kiwoom on 50073 with the admin API on 50070 by default', () => {
    const { help, logLevel, config } = parseCliArguments([]);

    expect(help).toBe(false);
    expect(logLevel).toBe('info');
    expect(config).toMatchObject({ adminPort: DEFAULT_ADMIN_PORT, host: '127.0.0.1', seed: 42, tokenTtlMs: DEFAULT_TOKEN_TTL_MS, latencyMs: 0, errorRate: 0, errorStatus: 500, refuse: false, acceptedAppKeys: [] });
    expect(config.brokers.map(({ id, type, port, preset, paper }) => ({ id, type, port, preset, paper }))).toEqual([
      { id: 'kis', type: BrokerType.KIS, port: 50071, preset: 'kis-paper', paper: true },
      { id: 'kiwoom', type: BrokerType.KIWOOM, port: 50073, preset: 'kiwoom', paper: true },
    ]);
  });

  it('reads every flag', () => {
    const { help, logLevel, config } = parseCliArguments([
      '--broker', 'live:KIS:0:kis-real',
      '--broker', 'kw:KIWOOM:0:none',
      '--account', 'live:50099999-01',
      '--account', 'live:5009999902:PAPER',
      '--account', 'kw:8123',
      '--rule', 'live:token:1:2000',
      '--admin-port', '0',
      '--host', '127.0.0.2',
      '--seed=-7',
      '--token-ttl-ms', '5000',
      '--accept-app-key', 'PSkey1',
      '--accept-app-key', 'PSkey2',
      '--latency-ms', '30',
      '--error-rate', '0.25',
      '--error-status', '503',
      '--refuse',
      '--log-level', 'debug',
      '-h',
    ]);

    expect(help).toBe(true);
    expect(logLevel).toBe('debug');
    expect(config).toMatchObject({ adminPort: 0, host: '127.0.0.2', seed: -7, tokenTtlMs: 5000, acceptedAppKeys: ['PSkey1', 'PSkey2'], latencyMs: 30, errorRate: 0.25, errorStatus: 503, refuse: true });
    const [live, kiwoom] = config.brokers;
    expect(live).toMatchObject({ id: 'live', port: 0, preset: 'kis-real', paper: false, ruleOverrides: [{ id: 'token', limit: 1, windowMs: 2000 }] });
    // The first --account replaces the default one; an explicit type wins over the server's.
    expect(live.accounts).toEqual([
      { id: '50099999-01', type: AccountType.REAL },
      { id: '5009999902', type: AccountType.PAPER },
    ]);
    expect(kiwoom).toMatchObject({ id: 'kw', preset: 'none', paper: true, accounts: [{ id: '8123', type: AccountType.PAPER }] });
  });

  it.each([
    [['--broker', 'kis:KIS'], '--broker', /id:TYPE:port/],
    [['--broker', 'Kis:KIS:0'], '--broker Kis:KIS:0: id', /lower-case/],
    [['--broker', 'creon:CREON:0'], '--broker creon:CREON:0: TYPE', /JTS simulator/],
    [['--broker', 'kis:KIS:70000'], '--broker kis:KIS:70000: port', /between 0 and 65535/],
    [['--broker', 'kis:KIS:0:creon-fast'], '--broker kis:KIS:0:creon-fast: preset', /kis-real, kis-paper, kiwoom or none/],
    [['--broker', 'a:KIS:0', '--broker', 'a:KIWOOM:0'], '--broker', /twice/],
    [['--account', 'nobody:123'], '--account nobody:123', /served broker/],
    [['--account', 'kis:1234'], '--account kis:1234', /CANO-ACNT_PRDT_CD/],
    [['--rule', 'kis:requests:0:1000'], '--rule kis:requests:0:1000', /limit:windowMs/],
    [['--admin-port', 'x'], '--admin-port', /integer/],
    [['--token-ttl-ms', '10'], '--token-ttl-ms', /between 1000/],
    [['--error-rate', '2'], '--error-rate', /between 0 and 1/],
    [['--error-status', '200'], '--error-status', /between 400 and 599/],
    [['--log-level', 'loud'], '--log-level', /silent, error, warn, info, debug/],
    [['--port', '1'], 'arguments', /port/],
  ])('refuses %p naming %s', (argv, field, problem) => {
    const error = failure(argv);

    expect(error.field).toBe(field);
    expect(error.message).toMatch(problem);
  });

  it('parses one --broker flag on its own', () => {
    expect(parseBrokerFlag('k:KIWOOM:50100')).toMatchObject({ id: 'k', type: BrokerType.KIWOOM, port: 50100, preset: 'kiwoom', accounts: [{ id: '5012345601' }] });
  });
});
