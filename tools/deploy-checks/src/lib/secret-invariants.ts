import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { containerEnvironment, type SecretReference } from './container-environment';
import {
  containersOf,
  describeObject,
  findObject,
  objectsOfKind,
  workloadsOf,
  type KubernetesObject,
} from './kubernetes-objects';
import { platformContainers } from './workload-invariants';
import { DEV_ONLY_LABEL } from './service-invariants';

export type Environment = 'dev' | 'prod';

/** Variables that carry credentials: they come from Secrets, never from literal values or ConfigMaps. */
const SECRET_VARIABLE =
  /(^ADMIN_API_KEY$|^DATABASE_URL$|^REDIS_URL$|PASSWORD|SECRET|TOKEN|API_KEY|CREDENTIAL|APP_KEY)/;
/** A URL with a password in it (scheme://user:password@host). */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^@\s/]+@/i;

/**
 * Credentials stay out of the manifests an environment commits: in prod no Secret is rendered at all (they are
 * created out of band), no dev-only object and no simulator is deployed; in dev every generated Secret is marked
 * dev-only. Everywhere, credential variables come from secretKeyRef, no ConfigMap holds a password, and every
 * Secret key a container needs exists when the overlay generates the Secret.
 */
export function secretHandlingProblems(
  objects: readonly KubernetesObject[],
  environment: Environment,
): string[] {
  const problems: string[] = [];
  const secrets = objectsOfKind<ISecret>(objects, 'Secret');
  if (environment === 'prod') {
    for (const secret of secrets)
      problems.push(
        `${describeObject(secret as unknown as KubernetesObject)}: prod must not carry Secret values`,
      );
    for (const object of objects) {
      if (object.metadata?.labels?.[DEV_ONLY_LABEL] === 'true')
        problems.push(`${describeObject(object)}: dev-only object in prod`);
    }
    for (const { workload, image } of platformContainers(objects)) {
      if (!image.servesClients)
        problems.push(
          `${describeObject(workload.object)}: runs ${image.repository}, which is for staging and demos only`,
        );
    }
  } else {
    for (const secret of secrets) {
      if (secret.metadata?.labels?.[DEV_ONLY_LABEL] !== 'true') {
        problems.push(
          `${describeObject(secret as unknown as KubernetesObject)}: a generated Secret must be labelled ${DEV_ONLY_LABEL}`,
        );
      }
    }
  }

  for (const workload of workloadsOf(objects)) {
    for (const container of containersOf(workload.podSpec)) {
      const where = `${describeObject(workload.object)} container ${container.name}`;
      for (const variable of container.env ?? []) {
        if (SECRET_VARIABLE.test(variable.name) && variable.valueFrom?.secretKeyRef === undefined) {
          problems.push(`${where}: ${variable.name} carries a credential and must come from a secretKeyRef`);
        }
      }
      for (const reference of containerEnvironment(container, objects).secrets) {
        if (secrets.length > 0)
          problems.push(...missingSecretKey(objects, reference).map((problem) => `${where}: ${problem}`));
      }
    }
  }
  for (const configMap of objectsOfKind<IConfigMap>(objects, 'ConfigMap')) {
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      if (SECRET_VARIABLE.test(key) || URL_WITH_PASSWORD.test(value)) {
        problems.push(
          `${describeObject(configMap as unknown as KubernetesObject)}: ${key} looks like a credential; credentials go in Secrets`,
        );
      }
    }
  }
  return problems;
}

function missingSecretKey(objects: readonly KubernetesObject[], reference: SecretReference): string[] {
  if (reference.optional) return [];
  const secret = findObject<ISecret>(objects, 'Secret', reference.secret);
  if (secret === undefined) return [`reads Secret ${reference.secret}, which the overlay does not generate`];
  if (
    reference.key !== undefined &&
    secret.data?.[reference.key] === undefined &&
    secret.stringData?.[reference.key] === undefined
  ) {
    return [
      `${reference.variable ?? 'envFrom'} reads key ${reference.key} of Secret ${reference.secret}, which has none`,
    ];
  }
  return [];
}

/** The Secrets (name and key) an operator must create before applying an overlay that does not generate them. */
export function requiredSecrets(
  objects: readonly KubernetesObject[],
): { secret: string; key: string; optional: boolean }[] {
  const required = new Map<string, { secret: string; key: string; optional: boolean }>();
  for (const workload of workloadsOf(objects)) {
    for (const container of containersOf(workload.podSpec)) {
      for (const reference of containerEnvironment(container, objects).secrets) {
        const key = reference.key ?? '*';
        required.set(`${reference.secret}/${key}`, {
          secret: reference.secret,
          key,
          optional: reference.optional,
        });
      }
    }
    for (const volume of workload.podSpec.volumes ?? []) {
      if (volume.secret?.secretName) {
        required.set(`${volume.secret.secretName}/*`, {
          secret: volume.secret.secretName,
          key: '*',
          optional: volume.secret.optional === true,
        });
      }
    }
  }
  return [...required.values()].sort((a, b) => `${a.secret}/${a.key}`.localeCompare(`${b.secret}/${b.key}`));
}
