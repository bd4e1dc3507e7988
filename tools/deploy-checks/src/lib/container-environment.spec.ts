import { containerEnvironment } from './container-environment';
import type { KubernetesObject } from './kubernetes-objects';

const settings: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data: { LOG_LEVEL: 'info', PORT: '1' },
};

describe('containerEnvironment', () => {
  it('takes envFrom first and lets env override it, as Kubernetes does', () => {
    const environment = containerEnvironment(
      {
        name: 'app',
        envFrom: [
          { configMapRef: { name: 'settings' } },
          { prefix: 'X_', configMapRef: { name: 'settings' } },
        ],
        env: [
          { name: 'PORT', value: '2' },
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LOG_LEVEL' } } },
        ],
      },
      [settings],
    );
    expect(environment.values).toEqual({
      LOG_LEVEL: 'info',
      PORT: '2',
      X_LOG_LEVEL: 'info',
      X_PORT: '1',
      LEVEL: 'info',
    });
    expect(environment.problems).toEqual([]);
  });

  it('lists Secret references without values, and drops a literal they replace', () => {
    const environment = containerEnvironment(
      {
        name: 'app',
        envFrom: [
          { configMapRef: { name: 'settings' } },
          { secretRef: { name: 'all-keys', optional: true } },
        ],
        env: [{ name: 'PORT', valueFrom: { secretKeyRef: { name: 'ports', key: 'port' } } }],
      },
      [settings],
    );
    expect(environment.values).toEqual({ LOG_LEVEL: 'info' });
    expect(environment.secrets).toEqual([
      { secret: 'all-keys', optional: true },
      { variable: 'PORT', secret: 'ports', key: 'port', optional: false },
    ]);
  });

  it('reports ConfigMaps and keys that are not rendered, unless optional', () => {
    const environment = containerEnvironment(
      {
        name: 'app',
        envFrom: [{ configMapRef: { name: 'absent' } }, { configMapRef: { name: 'maybe', optional: true } }],
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MISSING' } } },
          { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MISSING', optional: true } } },
        ],
      },
      [settings],
    );
    expect(environment.problems).toEqual([
      'container app reads ConfigMap absent, which is not rendered',
      'container app: A reads key MISSING of ConfigMap settings, which has none',
    ]);
    expect(environment.values).toEqual({});
  });
});
