import { inspect } from 'node:util';
import { CredentialError } from './credential-error';
import { readCredential, requireCredentialSource, resolveRestCredentials } from './resolve-credentials';
import { SecretText } from './secret-text';

const env = { KIS_APP_KEY: 'PSkey-123', KIS_APP_SECRET: 'secret-456 \n', EMPTY: '  ' };
const files: Record<string, string> = { '/run/secrets/kis-account': '50012345\n', '/run/secrets/empty': '\n' };
const readers = {
  env,
  readFile: (path: string) => {
    if (!(path in files)) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    return files[path];
  },
};

describe('credential sources', () => {
  it('reads environment variables and files, trimming the newline of a mounted secret', () => {
    const credentials = resolveRestCredentials(
      {
        appKey: { env: 'KIS_APP_KEY' },
        appSecret: { env: 'KIS_APP_SECRET' },
        accountNumber: { file: '/run/secrets/kis-account' },
      },
      'brokers[0].rest.credentials',
      readers,
    );

    expect(credentials.appKey.reveal()).toBe('PSkey-123');
    expect(credentials.appSecret.reveal()).toBe('secret-456');
    expect(credentials.accountNumber).toBe('50012345');
    expect(credentials.accountProductCode).toBeUndefined();
  });

  it.each([
    [{ env: 'MISSING' }, 'brokers[0].rest.credentials.appKey: environment variable MISSING is not set'],
    [{ env: 'EMPTY' }, 'brokers[0].rest.credentials.appKey: environment variable EMPTY is not set'],
    [{ file: '/run/secrets/none' }, 'brokers[0].rest.credentials.appKey: cannot read /run/secrets/none (ENOENT)'],
    [{ file: '/run/secrets/empty' }, 'brokers[0].rest.credentials.appKey: /run/secrets/empty is empty'],
  ])('names the field and the source of a missing credential: %p', (source, message) => {
    expect(() =>
      resolveRestCredentials({ appKey: source, appSecret: { env: 'KIS_APP_SECRET' } }, 'brokers[0].rest.credentials', readers),
    ).toThrow(new CredentialError('brokers[0].rest.credentials.appKey', message.replace(/^[^:]*: /, '')));
  });

  it.each([
    ['PSkey-123', /must be \{ env: VARIABLE_NAME \} or \{ file/],
    [{ value: 'PSkey-123' }, /exactly one of env or file \(got value\)/],
    [{ env: 'A', file: 'b' }, /exactly one of env or file/],
    [{ env: 'not a name' }, /appKey.env: must be an environment variable name/],
    [{ file: ' ' }, /appKey.file: must be the path/],
  ])('refuses a secret written into the configuration or a malformed source: %p', (value, message) => {
    const error = (() => {
      try {
        requireCredentialSource(value, 'appKey');
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CredentialError);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('PSkey-123');
  });

  it('uses process.env by default', () => {
    process.env['QTS_TEST_CREDENTIAL'] = 'from-process';
    try {
      expect(readCredential({ env: 'QTS_TEST_CREDENTIAL' }, 'x')).toBe('from-process');
    } finally {
      delete process.env['QTS_TEST_CREDENTIAL'];
    }
  });
});

describe('SecretText', () => {
  it('shows "[redacted]" in strings, JSON, util.inspect and template literals; reveal() gives the value', () => {
    const secret = new SecretText('PS-very-secret');
    const holder = { appKey: secret };

    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify(holder)).toBe('{"appKey":"[redacted]"}');
    expect(inspect(holder)).not.toContain('PS-very-secret');
    expect(secret.reveal()).toBe('PS-very-secret');
    expect(secret.length).toBe(14);
  });
});
