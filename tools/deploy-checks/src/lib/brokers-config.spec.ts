import { brokerEndpoints, renderedBrokersFile, withBrokerEndpoints } from './brokers-config';
import { platformFixture } from './testing/platform-fixture';

const BROKERS = `# the brokers
brokers:
  - id: kis
    type: KIS
    grpc: { host: jts, port: 50061 }
    rateLimit: { preset: kis-real }
    accounts:
      - { id: "00000000-01", type: REAL }
  - id: creon
    type: CREON
    grpc: { host: jts, port: 50062 }
`;

describe('brokers.yaml of an environment', () => {
  it('is read from the one ConfigMap that carries it', () => {
    expect(brokerEndpoints(renderedBrokersFile(platformFixture()))).toEqual([
      { id: 'kis', host: 'jts-simulator', port: 50061 },
    ]);
    expect(() => renderedBrokersFile([])).toThrow('expected one ConfigMap with a brokers.yaml key, found 0');
  });

  it('is re-pointed at other endpoints with everything else kept as written', () => {
    const moved = withBrokerEndpoints(BROKERS, '127.0.0.1', { kis: 41001, creon: 41002 });
    expect(brokerEndpoints(moved)).toEqual([
      { id: 'kis', host: '127.0.0.1', port: 41001 },
      { id: 'creon', host: '127.0.0.1', port: 41002 },
    ]);
    expect(moved).toContain('# the brokers');
    expect(moved).toContain('preset: kis-real');
    expect(moved).toContain('"00000000-01"');
    expect(() => withBrokerEndpoints(BROKERS, '127.0.0.1', { kis: 1 })).toThrow('no port for broker creon');
  });

  it('refuses a broker without a usable endpoint', () => {
    expect(() => brokerEndpoints('brokers:\n  - id: kis\n    grpc: { host: jts, port: "50061" }\n')).toThrow(
      'brokers.yaml: brokers[0] needs an id, grpc.host and a numeric grpc.port',
    );
    expect(brokerEndpoints('')).toEqual([]);
  });
});
