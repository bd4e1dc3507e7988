import { kubernetesModelOf, schemaProblems } from './schema-validation';
import {
  containerIn,
  deploymentIn,
  editedFixture,
  objectIn,
  platformFixture,
} from './testing/platform-fixture';

describe('schemaProblems', () => {
  it('accepts every object of a valid environment', () => {
    expect(platformFixture().flatMap(schemaProblems)).toEqual([]);
  });

  it('reports a value of the wrong type with its path', () => {
    const objects = editedFixture((all) => {
      (deploymentIn(all, 'gateway-api').spec as unknown as Record<string, unknown>)['replicas'] = '3';
    });
    expect(schemaProblems(objectIn(objects, 'Deployment', 'gateway-api'))).toEqual([
      'data/spec/replicas must be integer',
    ]);
  });

  it('reports a gRPC probe whose port is a name (the API wants a number)', () => {
    const objects = editedFixture((all) => {
      (containerIn(all, 'gateway-api').startupProbe?.grpc as unknown as Record<string, unknown>)['port'] =
        'grpc';
    });
    expect(schemaProblems(objectIn(objects, 'Deployment', 'gateway-api'))).toEqual([
      expect.stringContaining('startupProbe/grpc/port must be integer'),
    ]);
  });

  it('reports fields the schema does not define, at any depth, which the schemas alone let through', () => {
    const objects = editedFixture((all) => {
      const container = containerIn(all, 'execution-worker') as unknown as Record<string, unknown>;
      container['readinessprobe'] = container['readinessProbe'];
      (container['securityContext'] as Record<string, unknown>)['runAsNonroot'] = true;
      (deploymentIn(all, 'execution-worker').spec as unknown as Record<string, unknown>)['replica'] = 2;
    });
    expect(schemaProblems(objectIn(objects, 'Deployment', 'execution-worker')).sort()).toEqual([
      '/spec/replica is not a field of Deployment (apps/v1)',
      '/spec/template/spec/containers/0/readinessprobe is not a field of Deployment (apps/v1)',
      '/spec/template/spec/containers/0/securityContext/runAsNonroot is not a field of Deployment (apps/v1)',
    ]);
  });

  it('takes the keys of maps (labels, ConfigMap data) as data, not fields', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'any.example/key': 'v' } },
      data: { ANY_NAME: '1' },
    };
    expect(schemaProblems(configMap)).toEqual([]);
  });

  it('names objects whose apiVersion or kind has no schema', () => {
    expect(schemaProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet' })).toEqual([
      'no Kubernetes schema for apiVersion apps/v1, kind Deploymnet',
    ]);
    expect(schemaProblems({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' })).toHaveLength(
      1,
    );
    expect(kubernetesModelOf('../../etc', 'Passwd')).toBeUndefined();
    expect(kubernetesModelOf('v1', 'Service')).toBeDefined();
  });
});
