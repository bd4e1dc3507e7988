import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';

/** A label selector (matchLabels, matchExpressions). */
export type LabelSelector = NonNullable<IDeployment['spec']>['selector'];

/** One object of a rendered overlay, as parsed from YAML. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** `Kind/name`, as kubectl names an object. */
export function describeObject(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata?.name ?? '<unnamed>'}`;
}

export function objectsOfKind<T>(objects: readonly KubernetesObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as unknown as T[];
}

export function findObject<T>(
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
): T | undefined {
  return objects.find((object) => object.kind === kind && object.metadata?.name === name) as T | undefined;
}

/** A workload and the pods it makes. Only Deployments are rendered today; the checks read them through this. */
export interface Workload {
  object: KubernetesObject;
  name: string;
  replicas: number;
  template: IPodTemplateSpec;
  podSpec: IPodSpec;
  selector: LabelSelector | undefined;
}

export function workloadsOf(objects: readonly KubernetesObject[]): Workload[] {
  return objectsOfKind<IDeployment>(objects, 'Deployment').map((deployment) => {
    const template = deployment.spec?.template ?? {};
    return {
      object: deployment as unknown as KubernetesObject,
      name: deployment.metadata?.name ?? '<unnamed>',
      replicas: deployment.spec?.replicas ?? 1,
      template,
      podSpec: template.spec ?? { containers: [] },
      selector: deployment.spec?.selector,
    };
  });
}

/** Every container of a pod, init containers included. */
export function containersOf(podSpec: IPodSpec): IContainer[] {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

/**
 * Whether a label selector selects a set of labels (matchLabels and matchExpressions, as the API server reads
 * them). An empty selector selects everything; an absent one, nothing.
 */
export function selectorMatches(
  selector: LabelSelector | Record<string, string> | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (selector === undefined) return false;
  const { matchLabels, matchExpressions } = isLabelSelector(selector)
    ? selector
    : { matchLabels: selector, matchExpressions: undefined };
  for (const [key, value] of Object.entries(matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!present || !values.includes(labels[expression.key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(labels[expression.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isLabelSelector(selector: LabelSelector | Record<string, string>): selector is LabelSelector {
  return 'matchLabels' in selector || 'matchExpressions' in selector || Object.keys(selector).length === 0;
}

/** The container port a probe, Service or policy names, by name or by number. */
export function findContainerPort(
  containers: readonly IContainer[],
  port: number | string,
): IContainerPort | undefined {
  for (const container of containers) {
    const found = (container.ports ?? []).find((declared) =>
      typeof port === 'number' ? declared.containerPort === port : declared.name === port,
    );
    if (found) return found;
  }
  return undefined;
}
