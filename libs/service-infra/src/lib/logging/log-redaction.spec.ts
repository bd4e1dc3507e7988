import { isSecretParameterName, redactUrl, REDACTION_CENSOR } from './log-redaction';

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
