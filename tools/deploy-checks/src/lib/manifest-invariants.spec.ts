import { manifestInvariants, overlayParityProblems } from './manifest-invariants';
import { containerIn, deploymentIn, editedFixture, platformFixture } from './testing/platform-fixture';

describe('manifestInvariants', () => {
  it('runs every invariant and finds nothing in a sound environment', () => {
    const results = manifestInvariants(platformFixture(), 'dev');
    expect(Object.keys(results)).toHaveLength(12);
    expect(Object.values(results).flat()).toEqual([]);
  });

  it('files each problem under the invariant it breaks', () => {
    const objects = editedFixture((all) => {
      delete containerIn(all, 'gateway-api').livenessProbe;
    });
    const broken = Object.entries(manifestInvariants(objects, 'dev')).filter(
      ([, problems]) => problems.length > 0,
    );
    expect(broken).toEqual([
      [
        'containers are hardened, probed and bounded',
        ['Deployment/gateway-api container gateway-api: no livenessProbe'],
      ],
    ]);
  });
});

describe('overlayParityProblems', () => {
  it('accepts overlays that differ only in images, replicas and resources', () => {
    const other = editedFixture((all) => {
      containerIn(all, 'gateway-api').image = 'qts/gateway-api:dev';
      containerIn(all, 'gateway-api').resources = {
        requests: { cpu: '10m', memory: '64Mi' },
        limits: { memory: '128Mi' },
      };
      const spec = deploymentIn(all, 'gateway-api').spec;
      if (spec) spec.replicas = 1;
    });
    expect(overlayParityProblems(platformFixture(), other)).toEqual([]);
  });

  it('reports an app whose probes differ, or that one overlay lacks', () => {
    const other = editedFixture((all) => {
      const probe = containerIn(all, 'execution-worker').readinessProbe;
      if (probe?.httpGet) probe.httpGet.path = '/healthz';
      all.splice(all.indexOf(deploymentIn(all, 'gateway-api') as never), 1);
    });
    expect(overlayParityProblems(platformFixture(), other)).toEqual([
      'gateway-api/gateway-api is deployed by one overlay only',
      'execution-worker/execution-worker differs between the overlays in ports, probes, security or lifecycle',
    ]);
  });
});
