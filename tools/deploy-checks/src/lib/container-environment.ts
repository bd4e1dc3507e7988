import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { findObject, type KubernetesObject } from './kubernetes-objects';

/** A variable whose value Kubernetes takes from a Secret (`key` undefined: every key of the Secret, envFrom). */
export interface SecretReference {
  variable?: string;
  secret: string;
  key?: string;
  optional: boolean;
}

/** What a container's process finds in its environment, as far as the rendered objects tell. */
export interface ContainerEnvironment {
  /** Literal values and values from ConfigMaps, env overriding envFrom as in Kubernetes. */
  values: Record<string, string>;
  secrets: SecretReference[];
  /** References that point at nothing in the rendered objects. */
  problems: string[];
}

export function containerEnvironment(
  container: IContainer,
  objects: readonly KubernetesObject[],
): ContainerEnvironment {
  const values: Record<string, string> = {};
  const secrets: SecretReference[] = [];
  const problems: string[] = [];
  const configMap = (name: string, optional: boolean): IConfigMap | undefined => {
    const found = findObject<IConfigMap>(objects, 'ConfigMap', name);
    if (found === undefined && !optional)
      problems.push(`container ${container.name} reads ConfigMap ${name}, which is not rendered`);
    return found;
  };

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const data =
        configMap(source.configMapRef.name ?? '', source.configMapRef.optional === true)?.data ?? {};
      for (const [key, value] of Object.entries(data)) values[`${prefix}${key}`] = value;
    }
    if (source.secretRef) {
      secrets.push({ secret: source.secretRef.name ?? '', optional: source.secretRef.optional === true });
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from?.secretKeyRef) {
      delete values[variable.name];
      secrets.push({
        variable: variable.name,
        secret: from.secretKeyRef.name ?? '',
        key: from.secretKeyRef.key,
        optional: from.secretKeyRef.optional === true,
      });
    } else if (from?.configMapKeyRef) {
      const reference = from.configMapKeyRef;
      const value = configMap(reference.name ?? '', reference.optional === true)?.data?.[reference.key];
      if (value === undefined && reference.optional !== true) {
        problems.push(
          `container ${container.name}: ${variable.name} reads key ${reference.key} of ConfigMap ${reference.name}, which has none`,
        );
      } else if (value !== undefined) {
        values[variable.name] = value;
      }
    } else if (from === undefined) {
      values[variable.name] = variable.value ?? '';
    }
  }
  return { values, secrets, problems };
}
