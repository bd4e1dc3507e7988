import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { KubernetesObject } from './kubernetes-objects';
import { requiredSecrets, secretHandlingProblems } from './secret-invariants';
import { containerIn, editedFixture, objectIn, platformFixture } from './testing/platform-fixture';

/** The fixture as prod renders it: no Secret, nothing dev-only. */
function prodLike(edit: (objects: KubernetesObject[]) => void = () => undefined): KubernetesObject[] {
  return editedFixture((all) => {
    for (let index = all.length - 1; index >= 0; index -= 1) {
      const object = all[index];
      const devOnly = object.metadata?.labels?.['qts.io/dev-only'] === 'true';
      if (
        object.kind === 'Secret' ||
        devOnly ||
        ['jts-simulator', 'postgres'].includes(object.metadata?.name ?? '')
      )
        all.splice(index, 1);
    }
    edit(all);
  });
}

describe('secretHandlingProblems', () => {
  it('holds for dev with generated dev-only Secrets and for prod without any', () => {
    expect(secretHandlingProblems(platformFixture(), 'dev')).toEqual([]);
    expect(secretHandlingProblems(prodLike(), 'prod')).toEqual([]);
  });

  it('reports Secret values, dev-only objects and the simulator in prod', () => {
    const objects = editedFixture(() => undefined);
    expect(secretHandlingProblems(objects, 'prod')).toEqual([
      'Secret/qts-database: prod must not carry Secret values',
      'Secret/qts-api-keys: prod must not carry Secret values',
      'Secret/qts-dev-datastores: prod must not carry Secret values',
      'Secret/qts-database: dev-only object in prod',
      'Secret/qts-api-keys: dev-only object in prod',
      'Secret/qts-dev-datastores: dev-only object in prod',
      'Deployment/jts-simulator: dev-only object in prod',
      'Deployment/postgres: dev-only object in prod',
      'Deployment/jts-simulator: runs qts/jts-simulator, which is for staging and demos only',
    ]);
  });

  it('reports a generated Secret not marked dev-only', () => {
    const objects = editedFixture((all) => {
      const secret = objectIn<ISecret>(all, 'Secret', 'qts-api-keys');
      if (secret.metadata) secret.metadata.labels = {};
    });
    expect(secretHandlingProblems(objects, 'dev')).toEqual([
      'Secret/qts-api-keys: a generated Secret must be labelled qts.io/dev-only',
    ]);
  });

  it('reports a credential given as a literal value, and a password in a ConfigMap', () => {
    const objects = prodLike((all) => {
      containerIn(all, 'gateway-api').env?.push({ name: 'REDIS_URL', value: 'redis://:hunter2@redis:6379' });
      const settings = objectIn<IConfigMap>(all, 'ConfigMap', 'platform-settings');
      if (settings.data) settings.data['CACHE'] = 'postgres://qts:hunter2@db/qts';
    });
    expect(secretHandlingProblems(objects, 'prod')).toEqual([
      'Deployment/gateway-api container gateway-api: REDIS_URL carries a credential and must come from a secretKeyRef',
      'ConfigMap/platform-settings: CACHE looks like a credential; credentials go in Secrets',
    ]);
  });

  it('reports a Secret key a container needs but the overlay does not generate', () => {
    const objects = editedFixture((all) => {
      const secret = objectIn<ISecret>(all, 'Secret', 'qts-database');
      delete secret.data?.['worker-url'];
      containerIn(all, 'gateway-api').envFrom?.push({ secretRef: { name: 'qts-missing' } });
    });
    expect(secretHandlingProblems(objects, 'dev')).toEqual([
      'Deployment/gateway-api container gateway-api: reads Secret qts-missing, which the overlay does not generate',
      'Deployment/execution-worker container execution-worker: DATABASE_URL reads key worker-url of Secret qts-database, which has none',
    ]);
  });
});

describe('requiredSecrets', () => {
  it('lists every Secret and key the containers and volumes of an environment read', () => {
    const objects = prodLike((all) => {
      const pod = objectIn<{ spec: { template: { spec: { volumes: unknown[] } } } }>(
        all,
        'Deployment',
        'gateway-api',
      ).spec.template.spec;
      pod.volumes.push({
        name: 'broker-credentials',
        secret: { secretName: 'qts-broker-credentials', optional: true },
      });
    });
    expect(requiredSecrets(objects)).toEqual([
      { secret: 'qts-api-keys', key: 'admin-api-key', optional: false },
      { secret: 'qts-broker-credentials', key: '*', optional: true },
      { secret: 'qts-database', key: 'gateway-url', optional: false },
      { secret: 'qts-database', key: 'worker-url', optional: false },
    ]);
  });
});
