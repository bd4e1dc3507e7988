import { status } from '@grpc/grpc-js';
import { BrokerType } from '@qts/broker-domain';
import { SimulatorConfigError } from '../config/simulator-config-error';
import { parseBrokerFlag, parseCliArguments } from './parse-cli-arguments';

describe('parseCliArguments', () => {
  it('defaults to no overrides at log level info', () => {
    expect(parseCliArguments([])).toEqual({
      help: false,
      configPath: undefined,
      brokers: [],
      adminPort: undefined,
      host: undefined,
      seed: undefined,
      latencyMs: undefined,
      errorRate: undefined,
      errorCode: undefined,
      quoteIntervalMs: undefined,
      refuse: false,
      logLevel: 'info',
    });
  });

  it('reads every flag', () => {
    expect(
      parseCliArguments([
        '--config', 'c.yaml',
        '--broker', 'kis:KIS:50061:kis-paper',
        '--broker', 'kw:kiwoom:0',
        '--admin-port', '50060',
        '--host', '::1',
        '--seed=-3',
        '--latency-ms', '20',
        '--error-rate', '0.25',
        '--error-code', 'internal',
        '--quote-interval-ms', '50',
        '--refuse',
        '--log-level', 'debug',
        '-h',
      ]),
    ).toEqual({
      help: true,
      configPath: 'c.yaml',
      brokers: [
        { id: 'kis', type: BrokerType.KIS, port: 50061, preset: 'kis-paper' },
        { id: 'kw', type: BrokerType.KIWOOM, port: 0 },
      ],
      adminPort: 50060,
      host: '::1',
      seed: -3,
      latencyMs: 20,
      errorRate: 0.25,
      errorCode: status.INTERNAL,
      quoteIntervalMs: 50,
      refuse: true,
      logLevel: 'debug',
    });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'command line:'],
    [['--admin-port', 'x'], '--admin-port must be an integer between 0 and 65535 (got "x")'],
    [['--admin-port', '65536'], '--admin-port must be an integer'],
    [['--seed', '1.5'], '--seed must be an integer'],
    [['--latency-ms=-1'], '--latency-ms must be an integer'],
    [['--latency-ms', '9999999'], '--latency-ms must be an integer number of milliseconds in [0, 600000]'],
    [['--error-rate', '1.5'], '--error-rate must be a probability in [0, 1]'],
    [['--error-rate', ''], '--error-rate must be a probability'],
    [['--error-code', 'OK'], '--error-code must be a gRPC error code name'],
    [['--error-code', ''], '--error-code must be a gRPC error code name'],
    [['--log-level', 'loud'], '--log-level must be one of silent, error, warn, info, debug'],
    [['--quote-interval-ms', '0'], '--quote-interval-ms must be an integer between 1'],
    [['--host', ' '], '--host must not be empty'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(SimulatorConfigError);
    expect(() => parseCliArguments(argv)).toThrow(message);
  });
});

describe('parseBrokerFlag', () => {
  it.each([
    ['kis', 'must be id:TYPE:port[:preset]'],
    ['a:b:c:d:e', 'must be id:TYPE:port[:preset]'],
    [':KIS:1', '--broker :KIS:1: id must be a non-empty id'],
    ['a:NH:1', '--broker a:NH:1: TYPE must be one of KIS, CREON, KIWOOM'],
    ['a:KIS:-1', '--broker a:KIS:-1: port must be an integer between 0 and 65535'],
    ['a:KIS:1:', '--broker a:KIS:1:: preset must not be empty'],
  ])('refuses %s', (flag, message) => {
    expect(() => parseBrokerFlag(flag)).toThrow(message);
  });
});
