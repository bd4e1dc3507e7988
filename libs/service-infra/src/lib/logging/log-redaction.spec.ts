import { isSecretParameterName, redactSecretFields, redactUrl, REDACTION_CENSOR } from './log-redaction';

const KEY = 'qts_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';

describe('log redaction of URLs and queries', () => {
  it('replaces the values of secret-named parameters, whatever their spelling', () => {
    expect(redactUrl('/api/v1/brokers?api_key=abc&symbol=005930')).toBe(`/api/v1/brokers?api_key=${REDACTION_CENSOR}&symbol=005930`);
    expect(redactUrl('/x?X-API-Key=abc&access_token=t&Password=p&key=k')).toBe(
      `/x?X-API-Key=${REDACTION_CENSOR}&access_token=${REDACTION_CENSOR}&Password=${REDACTION_CENSOR}&key=${REDACTION_CENSOR}`,
    );
    expect(redactUrl('/x?%61pi_key=abc')).toBe(`/x?%61pi_key=${REDACTION_CENSOR}`);
    for (const name of ['apiKey', 'x-api-key', 'appsecret', 'refresh_token']) expect(isSecretParameterName(name)).toBe(true);
    for (const name of ['symbol', 'timeframe', 'start', 'monkey']) expect(isSecretParameterName(name)).toBe(false);
  });

  it('replaces platform keys and given secrets anywhere in the URL, raw or URL-encoded', () => {
    expect(redactUrl(`/x/${KEY}?q=${KEY}`)).toBe(`/x/${REDACTION_CENSOR}?q=${REDACTION_CENSOR}`);
    const admin = 'admin secret/with+chars';
    expect(redactUrl(`/x?token2=${encodeURIComponent(admin)}&b=${admin}`, [admin])).not.toContain('secret');
  });

  it('leaves URLs without secrets alone, broken escapes included', () => {
    expect(redactUrl('/api/v1/brokers/kis/candles?symbol=005930&timeframe=1d')).toBe('/api/v1/brokers/kis/candles?symbol=005930&timeframe=1d');
    expect(redactUrl('/x?%zz=1&a')).toBe('/x?%zz=1&a');
  });
});

describe('log redaction of secret-named fields in a serialised line', () => {
  const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
  const redacted = (value: unknown): unknown => JSON.parse(redactSecretFields(line(value)));

  it('replaces the value of every secret-named field at any depth, whatever its type', () => {
    expect(
      redacted({
        level: 30,
        apiKey: 'qts_abc',
        nested: { deeper: { deepest: { evenDeeper: { password: 'p4ss', keep: 1 } } } },
        list: [{ token: { access: 'a', refresh: ['r', { x: '}' }] } }, { appsecret: 12345 }],
        headers: { 'x-api-key': 'k', authorization: 'Bearer t', cookie: null, 'set-cookie': ['a=b'] },
        key: true,
        msg: 'done',
      }),
    ).toEqual({
      level: 30,
      apiKey: REDACTION_CENSOR,
      nested: { deeper: { deepest: { evenDeeper: { password: REDACTION_CENSOR, keep: 1 } } } },
      list: [{ token: REDACTION_CENSOR }, { appsecret: REDACTION_CENSOR }],
      headers: { 'x-api-key': REDACTION_CENSOR, authorization: REDACTION_CENSOR, cookie: REDACTION_CENSOR, 'set-cookie': REDACTION_CENSOR },
      key: REDACTION_CENSOR,
      msg: 'done',
    });
  });

  it('keeps strings that only mention a secret name, and fields whose names merely contain one', () => {
    const value = { msg: 'the "token": field and "key":"v" stay text', monkey: 'm', tokens: 3, keyboard: { a: 1 }, note: 'say \\"key\\":' };
    expect(redactSecretFields(line(value))).toBe(line(value));
  });

  it('handles escaped quotes and brackets inside a secret string, and the line stays valid JSON', () => {
    const value = { secret: 'a"b\\"}]c,', after: 'kept', api_key: '' };
    const out = redactSecretFields(line(value));
    expect(JSON.parse(out)).toEqual({ secret: REDACTION_CENSOR, after: 'kept', api_key: REDACTION_CENSOR });
    expect(out.endsWith('\n')).toBe(true);
  });

  it('returns a line without secret-named fields unchanged (the same string)', () => {
    const plain = line({ level: 30, req: { id: 1, method: 'GET', url: '/api/v1/brokers' }, res: { statusCode: 200 }, responseTime: 2 });
    expect(redactSecretFields(plain)).toBe(plain);
  });
});
