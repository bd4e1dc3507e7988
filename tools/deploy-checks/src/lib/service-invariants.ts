import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import { brokerEndpoints, renderedBrokersFile } from './brokers-config';
import {
  containersOf,
  describeObject,
  findContainerPort,
  objectsOfKind,
  selectorMatches,
  workloadsOf,
  type KubernetesObject,
  type Workload,
} from './kubernetes-objects';

/** Label of the objects that exist only in dev (the simulator, in-cluster datastores, throwaway Secrets). */
export const DEV_ONLY_LABEL = 'qts.io/dev-only';

/** The workloads whose pods a Service (or another selector-based object) selects. */
export function selectedWorkloads(
  objects: readonly KubernetesObject[],
  selector: Record<string, string> | undefined,
): Workload[] {
  if (selector === undefined || Object.keys(selector).length === 0) return [];
  return workloadsOf(objects).filter((workload) =>
    selectorMatches(selector, workload.template.metadata?.labels ?? {}),
  );
}

/**
 * Every Service selects pods, and each of its ports targets a port those pods declare. Ports are named for their
 * protocol (http..., grpc...), and gRPC ports say so with appProtocol: grpc.
 */
export function serviceProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const service of objectsOfKind<IService>(objects, 'Service')) {
    const subject = describeObject(service as unknown as KubernetesObject);
    const spec = service.spec ?? {};
    for (const port of spec.ports ?? []) {
      if (port.name === undefined || !/^(http|grpc|postgres|redis|tcp|udp)(-[a-z0-9]+)*$/.test(port.name)) {
        problems.push(
          `${subject}: port ${port.port} must be named for its protocol (http, grpc, postgres, redis ...)`,
        );
      }
      if (port.name?.startsWith('grpc') && port.appProtocol !== 'grpc')
        problems.push(`${subject}: gRPC port ${port.name} needs appProtocol: grpc`);
    }
    if (spec.type === 'ExternalName') {
      if (!spec.externalName) problems.push(`${subject}: ExternalName without externalName`);
      continue;
    }
    const workloads = selectedWorkloads(objects, spec.selector);
    if (workloads.length === 0) {
      problems.push(`${subject}: its selector matches no pods`);
      continue;
    }
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const workload of workloads) {
        if (findContainerPort(containersOf(workload.podSpec), target) === undefined) {
          problems.push(
            `${subject}: port ${port.name ?? port.port} targets ${target}, which ${describeObject(workload.object)} does not declare`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * Every workload except the dev-only ones has exactly one PodDisruptionBudget, and every budget selects the pods of
 * exactly one workload and lets a voluntary disruption (a node drain) through.
 */
export function disruptionBudgetProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  const budgets = objectsOfKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
  const workloads = workloadsOf(objects);
  for (const budget of budgets) {
    const subject = describeObject(budget as unknown as KubernetesObject);
    const selected = workloads.filter((workload) =>
      selectorMatches(budget.spec?.selector, workload.template.metadata?.labels ?? {}),
    );
    if (selected.length !== 1) {
      problems.push(`${subject}: selects the pods of ${selected.length} workloads, expected 1`);
      continue;
    }
    const replicas = selected[0].replicas;
    const { maxUnavailable, minAvailable } = budget.spec ?? {};
    const blocksDrains =
      maxUnavailable !== undefined
        ? resolveCount(maxUnavailable, replicas) < 1
        : minAvailable !== undefined && resolveCount(minAvailable, replicas) >= replicas;
    if (blocksDrains)
      problems.push(
        `${subject}: allows no disruption of ${describeObject(selected[0].object)} (${replicas} replicas): node drains would hang`,
      );
  }
  for (const workload of workloads) {
    if (workload.object.metadata?.labels?.[DEV_ONLY_LABEL] === 'true') continue;
    const covering = budgets.filter((budget) =>
      selectorMatches(budget.spec?.selector, workload.template.metadata?.labels ?? {}),
    );
    if (covering.length !== 1)
      problems.push(
        `${describeObject(workload.object)}: covered by ${covering.length} PodDisruptionBudgets, expected 1`,
      );
  }
  return problems;
}

function resolveCount(value: number | string, replicas: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.floor((replicas * Number(percent[1])) / 100) : Number(value);
}

/**
 * Every broker of brokers.yaml is reachable by name inside the namespace: its grpc.host is a rendered Service (or a
 * fully qualified name outside the cluster) that exposes its grpc.port, on pods that declare it.
 */
export function brokerEndpointProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const broker of brokerEndpoints(renderedBrokersFile(objects))) {
    const where = `brokers.yaml broker ${broker.id} (${broker.host}:${broker.port})`;
    if (broker.host.includes('.')) continue;
    const service = objectsOfKind<IService>(objects, 'Service').find(
      (candidate) => candidate.metadata?.name === broker.host,
    );
    if (service === undefined) {
      problems.push(`${where}: no Service named ${broker.host}`);
      continue;
    }
    const port = (service.spec?.ports ?? []).find((candidate) => candidate.port === broker.port);
    if (port === undefined) {
      problems.push(`${where}: Service ${broker.host} does not expose port ${broker.port}`);
      continue;
    }
    if (service.spec?.type === 'ExternalName') continue;
    for (const workload of selectedWorkloads(objects, service.spec?.selector)) {
      if (findContainerPort(containersOf(workload.podSpec), port.targetPort ?? port.port) === undefined) {
        problems.push(
          `${where}: ${describeObject(workload.object)} does not declare port ${port.targetPort ?? port.port}`,
        );
      }
    }
  }
  return problems;
}
