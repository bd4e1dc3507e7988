import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { ConfigValidationError } from './config-validation-error';
import { loadBrokersConfig, parseBrokersConfig } from './load-brokers-config';

const VALID = `
brokers:
  - id: kis
    type: KIS
    grpc: { host: 127.0.0.1, port: 50061 }
    rateLimit: { preset: kis-paper }
    accounts:
      - { id: "50012345-01", name: "모의투자", type: PAPER, default: true }
  - id: creon
    type: CREON
    grpc: { host: jts.internal, port: 50062 }
    rateLimit: { rules: [{ id: requests, limit: 4, windowMs: 1000 }], share: 0.5 }
    required: false
    mock: true
    deadlineMs: 3000
    reconcileGraceMs: 12000
    accounts:
      - { id: "12345678", type: REAL }
`;

function problemsOf(text: string): string[] {
  try {
    parseBrokersConfig(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return [...(error as ConfigValidationError).problems];
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseBrokersConfig', () => {
  it('turns the documented YAML into domain broker configurations with defaults applied', () => {
    const [kis, creon] = parseBrokersConfig(VALID);
    expect(kis).toEqual({
      id: 'kis',
      type: BrokerType.KIS,
      transport: 'jts',
      grpc: { host: '127.0.0.1', port: 50061 },
      rateLimit: { preset: 'kis-paper' },
      accounts: [{ id: '50012345-01', name: '모의투자', type: AccountType.PAPER, isDefault: true }],
      required: true,
      mock: false,
    });
    expect(creon).toEqual({
      id: 'creon',
      type: BrokerType.CREON,
      transport: 'jts',
      grpc: { host: 'jts.internal', port: 50062 },
      rateLimit: { rules: [{ id: 'requests', limit: 4, windowMs: 1000 }], share: 0.5 },
      accounts: [{ id: '12345678', name: '12345678', type: AccountType.REAL, isDefault: false }],
      required: false,
      mock: true,
      deadlineMs: 3000,
      reconcileGraceMs: 12000,
    });
  });

  it('names the field of a bad port, type and account type', () => {
    const problems = problemsOf(`
brokers:
  - id: kis
    type: KSI
    grpc: { host: 127.0.0.1, port: 70000 }
    rateLimit: { preset: kis-paper }
    accounts: [{ id: "1", type: DEMO }]
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'brokers[0].type must be one of KIS, CREON, KIWOOM',
        'brokers[0].grpc.port must be an integer between 1 and 65535',
        'brokers[0].accounts[0].type must be one of REAL, PAPER',
      ]),
    );
  });

  it('refuses unknown keys so that a typo does not pass silently', () => {
    const problems = problemsOf(`
brokers:
  - id: kis
    type: KIS
    grpc: { host: 127.0.0.1, port: 50061 }
    rateLimit: { preset: kis-paper }
    requried: true
`);
    expect(problems).toEqual(['brokers[0].requried is not a known setting']);
  });

  it('names an unknown rate-limit preset and a bad rule with their paths', () => {
    expect(
      problemsOf(`
brokers:
  - { id: kis, type: KIS, grpc: { host: h, port: 1 }, rateLimit: { preset: kis-turbo } }
`)[0],
    ).toMatch(/^brokers\[0\]\.rateLimit\.preset /);
    expect(
      problemsOf(`
brokers:
  - { id: kis, type: KIS, grpc: { host: h, port: 1 }, rateLimit: { rules: [{ id: r, limit: 0, windowMs: 1000 }] } }
`),
    ).toEqual(['brokers[0].rateLimit.rules[0].limit must not be less than 1']);
    expect(
      problemsOf(`
brokers:
  - { id: kis, type: KIS, grpc: { host: h, port: 1 }, rateLimit: {} }
`)[0],
    ).toMatch(/^brokers\[0\]\.rateLimit needs a preset or rules/);
  });

  it('refuses duplicate broker ids, duplicate accounts and two default accounts', () => {
    expect(
      problemsOf(`
brokers:
  - { id: kis, type: KIS, grpc: { host: h, port: 1 }, rateLimit: { preset: kis-paper } }
  - { id: kis, type: KIS, grpc: { host: h, port: 2 }, rateLimit: { preset: kis-paper } }
`),
    ).toEqual(['brokers must have unique ids']);
    expect(
      problemsOf(`
brokers:
  - id: kis
    type: KIS
    grpc: { host: h, port: 1 }
    rateLimit: { preset: kis-paper }
    accounts:
      - { id: "1", type: PAPER, default: true }
      - { id: "1", type: PAPER, default: true }
`),
    ).toEqual(['brokers[0].accounts[1].id duplicates account 1', 'brokers[0].accounts may flag only one account as default']);
  });

  it('asks for account numbers as strings, keeping dashes and leading zeros', () => {
    expect(
      problemsOf(`
brokers:
  - { id: kis, type: KIS, grpc: { host: h, port: 1 }, rateLimit: { preset: kis-paper }, accounts: [{ id: 12345678, type: PAPER }] }
`),
    ).toEqual(['brokers[0].accounts[0].id must be a string (quote account numbers in YAML)']);
  });

  it('reports YAML syntax errors, a non-mapping document and an empty broker list', () => {
    expect(problemsOf('brokers: [\n')[0]).toMatch(/^YAML syntax:/);
    expect(problemsOf('- just a list')).toEqual(['the file must be a mapping with a `brokers` list']);
    expect(problemsOf('brokers: []')).toEqual(['brokers must list at least one broker']);
    expect(problemsOf('other: 1')).toEqual(expect.arrayContaining(['other is not a known setting', 'brokers must be an array']));
  });

  it('checks the broker id format', () => {
    expect(
      problemsOf(`
brokers:
  - { id: "KIS main", type: KIS, grpc: { host: h, port: 1 }, rateLimit: { preset: kis-paper } }
`),
    ).toEqual(['brokers[0].id must be 1-32 lower-case letters, digits or dashes, starting with a letter']);
  });
});

describe('parseBrokersConfig: the REST transport', () => {
  const KIS_REST = `
brokers:
  - id: kis-direct
    type: KIS
    rateLimit: { preset: kis-real }
    accounts: [{ id: "50012345-01", type: REAL }]
    rest:
      environment: real
      credentials:
        appKey: { env: KIS_APP_KEY }
        appSecret: { file: /run/secrets/kis-app-secret }
        accountProductCode: { env: KIS_ACCOUNT_PRODUCT }
      symbols: ["005930"]
`;

  it('selects REST by its rest block: no grpc needed, credentials named and never read here', () => {
    const [broker] = parseBrokersConfig(KIS_REST);
    expect(broker).toEqual({
      id: 'kis-direct',
      type: BrokerType.KIS,
      transport: 'rest',
      rest: {
        environment: 'real',
        credentials: {
          appKey: { env: 'KIS_APP_KEY' },
          appSecret: { file: '/run/secrets/kis-app-secret' },
          accountProductCode: { env: 'KIS_ACCOUNT_PRODUCT' },
        },
        symbols: ['005930'],
      },
      rateLimit: { preset: 'kis-real' },
      accounts: [{ id: '50012345-01', name: '50012345-01', type: AccountType.REAL, isDefault: false }],
      required: true,
      mock: false,
    });
  });

  it('keeps both blocks when transport says which one is used, so switching is one word', () => {
    const [jts, rest] = parseBrokersConfig(`
brokers:
  - id: kiwoom-a
    type: KIWOOM
    transport: jts
    grpc: { host: h, port: 1 }
    rest: { environment: paper, baseUrl: "http://127.0.0.1:50073", credentials: { appKey: { env: A }, appSecret: { env: B } } }
    rateLimit: { preset: kiwoom }
    accounts: [{ id: "5012345601", type: PAPER }]
  - id: kiwoom-b
    type: KIWOOM
    transport: rest
    grpc: { host: h, port: 1 }
    rest: { environment: paper, credentials: { appKey: { env: A }, appSecret: { env: B } } }
    rateLimit: { preset: kiwoom }
    accounts: [{ id: "5012345601", type: PAPER }]
`);
    expect(jts).toMatchObject({ transport: 'jts', grpc: { host: 'h', port: 1 }, rest: { baseUrl: 'http://127.0.0.1:50073' } });
    expect(rest).toMatchObject({ transport: 'rest', grpc: { host: 'h', port: 1 }, rest: { environment: 'paper' } });
  });

  it('names the field of each problem of a REST entry', () => {
    expect(problemsOf(KIS_REST.replace('appKey: { env: KIS_APP_KEY }', 'appKey: "PSabcdefSECRET"'))).toEqual([
      'brokers[0].rest.credentials.appKey must be { env: VARIABLE_NAME } or { file: /path/to/secret }; secrets are never written into the configuration',
    ]);
    expect(problemsOf(KIS_REST.replace('environment: real', 'environment: demo'))).toEqual([
      "brokers[0].rest.environment must be 'real' or 'paper'",
    ]);
    expect(problemsOf(KIS_REST.replace('        appSecret: { file: /run/secrets/kis-app-secret }\n', ''))).toEqual([
      'brokers[0].rest.credentials.appSecret is required ({ env: NAME } or { file: PATH })',
    ]);
    expect(problemsOf(KIS_REST.replace('symbols: ["005930"]', 'timeoutMs: 5'))[0]).toMatch(/^brokers\[0\]\.rest\.timeoutMs is not a known setting/);
    expect(problemsOf(KIS_REST.replace('    rest:\n', '    transport: rest\n    resting:\n'))).toEqual([
      'brokers[0].resting is not a known setting',
    ]);
    expect(problemsOf(KIS_REST.replace('rest:\n      environment', 'grpc: { host: h, port: 1 }\n    rest:\n      environment'))).toEqual([
      'brokers[0].transport must be jts or rest: the entry describes both a grpc and a rest connection',
    ]);
    expect(problemsOf(KIS_REST.replace('    rest:\n', '    transport: jts\n    rest:\n'))).toEqual([
      'brokers[0].grpc is required for the JTS transport ({ host, port })',
    ]);
  });

  it('needs the rest block for transport rest, and refuses it for Creon', () => {
    expect(
      problemsOf(`
brokers:
  - { id: kis, type: KIS, transport: rest, rateLimit: { preset: kis-paper }, accounts: [{ id: "1", type: PAPER }] }
`),
    ).toEqual(['brokers[0].rest is required for the REST transport ({ environment, credentials })']);
    expect(
      problemsOf(`
brokers:
  - id: creon
    type: CREON
    rateLimit: { preset: creon }
    accounts: [{ id: "1", type: PAPER }]
    rest: { environment: paper, credentials: { appKey: { env: A }, appSecret: { env: B } } }
`),
    ).toEqual([
      'brokers[0].rest is not available for CREON: only KIS and KIWOOM have a REST API (use JTS)',
      'brokers[0].transport rest is not available for CREON: only KIS and KIWOOM have a REST API (use jts)',
    ]);
  });

  it('refuses a REAL account on a paper server and a PAPER account on a real one, and more than one account', () => {
    expect(problemsOf(KIS_REST.replace('environment: real', 'environment: paper'))).toEqual([
      'brokers[0].accounts[0].type REAL cannot trade on the paper server (rest.environment: paper); use PAPER',
    ]);
    expect(problemsOf(KIS_REST.replace('type: REAL', 'type: PAPER'))).toEqual([
      'brokers[0].accounts[0].type PAPER cannot trade on the real server (rest.environment: real): its orders trade real money, so the account must be REAL (and LIVE_TRADING_ENABLED=true to trade)',
    ]);
    expect(problemsOf(KIS_REST.replace('accounts: [{ id: "50012345-01", type: REAL }]', 'accounts: [{ id: "1", type: REAL }, { id: "2", type: REAL }]'))).toEqual([
      'brokers[0].accounts must list exactly one account for the REST transport: an app key trades one account',
    ]);
    expect(problemsOf(KIS_REST.replace('    accounts: [{ id: "50012345-01", type: REAL }]\n', ''))).toEqual([
      'brokers[0].accounts must list exactly one account for the REST transport: an app key trades one account',
    ]);
  });

  it('never puts a value of the rest block into an error', () => {
    const problems = problemsOf(KIS_REST.replace('appKey: { env: KIS_APP_KEY }', 'appKey: { env: KIS_APP_KEY, value: PSsecretVALUE }'));
    expect(problems.join('\n')).not.toContain('PSsecretVALUE');
    expect(problems[0]).toMatch(/^brokers\[0\]\.rest\.credentials\.appKey /);
  });
});

describe('loadBrokersConfig', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'qts-config-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('reads a file and names it in errors', () => {
    const file = join(folder, 'brokers.yaml');
    writeFileSync(file, VALID);
    expect(loadBrokersConfig(file).map((broker) => broker.id)).toEqual(['kis', 'creon']);

    writeFileSync(file, 'brokers: []');
    expect(() => loadBrokersConfig(file)).toThrow(`Invalid configuration (${file})`);
  });

  it('says which file it could not read', () => {
    const missing = join(folder, 'missing.yaml');
    expect(() => loadBrokersConfig(missing)).toThrow(`BROKERS_CONFIG cannot read ${missing} (ENOENT)`);
  });

  it('accepts the configuration shipped for the embedded default', () => {
    const brokers = loadBrokersConfig(join(__dirname, '../../../../config/brokers.yaml'));
    expect(brokers.map((broker) => `${broker.id}:${broker.type}:${broker.transport}:${broker.grpc?.port ?? broker.rest?.baseUrl}`)).toEqual([
      'kis:KIS:jts:50061',
      'creon:CREON:jts:50062',
      'kiwoom:KIWOOM:jts:50063',
      'kis-rest:KIS:rest:http://127.0.0.1:50071',
      'kiwoom-rest:KIWOOM:rest:http://127.0.0.1:50073',
    ]);
  });
});
