import { BrokerType } from '@qts/broker-domain';
import { parseRestTransportConfig, RestConfigError } from './rest-transport-config';

const valid = {
  environment: 'paper',
  baseUrl: 'http://127.0.0.1:50071',
  credentials: { appKey: { env: 'KIS_APP_KEY' }, appSecret: { file: '/run/secrets/kis-secret' } },
  requestTimeoutMs: 3_000,
  symbols: ['005930', '000660'],
};

describe('parseRestTransportConfig', () => {
  it('accepts a complete KIS configuration', () => {
    expect(parseRestTransportConfig(valid, 'brokers[0].rest', BrokerType.KIS)).toEqual(valid);
  });

  it.each([
    [BrokerType.CREON, valid, 'brokers[0].rest', /only KIS and KIWOOM have a REST API/],
    [BrokerType.KIS, null, 'brokers[0].rest', /must be an object/],
    [BrokerType.KIS, { ...valid, environment: 'prod' }, 'brokers[0].rest.environment', /'real' or 'paper'/],
    [BrokerType.KIS, { ...valid, baseUrl: 'openapi' }, 'brokers[0].rest.baseUrl', /http\(s\) URL/],
    [BrokerType.KIS, { ...valid, credentials: undefined }, 'brokers[0].rest.credentials', /must name the sources/],
    [BrokerType.KIS, { ...valid, credentials: { appKey: { env: 'K' } } }, 'brokers[0].rest.credentials.appSecret', /is required/],
    [BrokerType.KIS, { ...valid, credentials: { ...valid.credentials, appKey: 'PSliteral' } }, 'brokers[0].rest.credentials.appKey', /env: VARIABLE_NAME/],
    [BrokerType.KIS, { ...valid, credentials: { ...valid.credentials, password: { env: 'P' } } }, 'brokers[0].rest.credentials.password', /not a known credential/],
    [BrokerType.KIS, { ...valid, requestTimeoutMs: 1.5 }, 'brokers[0].rest.requestTimeoutMs', /whole number/],
    [BrokerType.KIS, { ...valid, symbols: ['5930'] }, 'brokers[0].rest.symbols[0]', /6-character KRX code/],
    [BrokerType.KIS, { ...valid, symbols: '005930' }, 'brokers[0].rest.symbols', /list/],
    [BrokerType.KIWOOM, valid, 'brokers[0].rest.symbols', /only for KIS/],
    [BrokerType.KIS, { ...valid, appKey: 'x' }, 'brokers[0].rest.appKey', /not a known setting/],
  ])('refuses %s %p naming %s', (type, value, field, message) => {
    const error = (() => {
      try {
        parseRestTransportConfig(value, 'brokers[0].rest', type);
      } catch (caught) {
        return caught as RestConfigError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RestConfigError);
    expect(error?.field).toBe(field);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('PSliteral');
  });
});
