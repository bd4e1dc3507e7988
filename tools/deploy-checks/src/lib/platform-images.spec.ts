import { imageRepository, imageTag, PLATFORM_IMAGES, platformImageOf, settingValue } from './platform-images';

describe('image references', () => {
  it('split into repository and tag, registry ports and digests included', () => {
    expect(imageRepository('registry.example.com:5000/qts/gateway-api:0.1.0@sha256:ab')).toBe(
      'registry.example.com:5000/qts/gateway-api',
    );
    expect(imageTag('registry.example.com:5000/qts/gateway-api:0.1.0@sha256:ab')).toBe('0.1.0');
    expect(imageTag('registry.example.com:5000/qts/gateway-api')).toBeUndefined();
    expect(imageRepository('qts/jts-simulator')).toBe('qts/jts-simulator');
  });

  it('name the platform image whatever registry an overlay puts in front', () => {
    expect(platformImageOf('registry.example.com/qts/execution-worker:1')?.project).toBe('execution-worker');
    expect(platformImageOf('qts/gateway-api:dev')?.project).toBe('gateway-api');
    expect(platformImageOf('example.com/notqts/gateway-api:1')).toBeUndefined();
    expect(platformImageOf('postgres:15')).toBeUndefined();
    expect(platformImageOf(undefined)).toBeUndefined();
  });
});

describe('drain of each image', () => {
  const image = (project: string) => PLATFORM_IMAGES.find((candidate) => candidate.project === project);

  it('follows the configuration: the worker`s grace, the gateway`s longest call; each plus the last second for HTTP', () => {
    expect(image('execution-worker')?.drainSeconds({})).toBe(17);
    expect(image('execution-worker')?.drainSeconds({ WORKER_SHUTDOWN_GRACE_MS: '20000' })).toBe(21);
    expect(image('gateway-api')?.drainSeconds({})).toBe(17);
    expect(image('gateway-api')?.drainSeconds({ BROKER_DEADLINE_MS: '10000' })).toBe(22);
    expect(image('jts-simulator')?.drainSeconds({})).toBe(5);
  });

  it('reads settings from the environment or the arguments', () => {
    expect(settingValue({ variable: 'BIND_HOST' }, { BIND_HOST: '0.0.0.0' }, [])).toBe('0.0.0.0');
    expect(settingValue({ flag: '--host' }, {}, ['--host', '::'])).toBe('::');
    expect(settingValue({ flag: '--host' }, {}, [])).toBeUndefined();
  });
});
