import type { KubernetesObject } from './kubernetes-objects';
import { networkPolicyProblems } from './network-invariants';
import { secretHandlingProblems, type Environment } from './secret-invariants';
import { brokerEndpointProblems, disruptionBudgetProblems, serviceProblems } from './service-invariants';
import {
  containerHardeningProblems,
  gracefulTerminationProblems,
  namespaceProblems,
  platformContainerProblems,
  platformContainers,
  rateLimitShareProblems,
  rolloutProblems,
  workloadSelectorProblems,
} from './workload-invariants';

/** The invariants of a rendered overlay, by name; each lists what breaks it (empty when it holds). */
export function manifestInvariants(
  objects: readonly KubernetesObject[],
  environment: Environment,
): Record<string, string[]> {
  return {
    'the namespace enforces the restricted Pod Security Standard': namespaceProblems(objects),
    'containers are hardened, probed and bounded': containerHardeningProblems(objects),
    'workload selectors select exactly their own pods': workloadSelectorProblems(objects),
    'platform containers match what their images read': platformContainerProblems(objects),
    'termination grace covers preStop and the drain': gracefulTerminationProblems(objects),
    'apps with a database roll out one new pod at a time': rolloutProblems(objects),
    'static rate-limit shares stay within one budget': rateLimitShareProblems(objects),
    'Services select pods and target declared ports': serviceProblems(objects),
    'each app has one PodDisruptionBudget that lets drains through': disruptionBudgetProblems(objects),
    'brokers.yaml names reachable Services': brokerEndpointProblems(objects),
    'NetworkPolicies allow exactly the expected traffic': networkPolicyProblems(objects),
    'credentials stay in Secrets': secretHandlingProblems(objects, environment),
  };
}

/**
 * The platform's containers are the same in both overlays in everything the probe-contract test proves on one of
 * them: ports, probes, security context, lifecycle and grace period. Only images, replicas-independent settings and
 * resources may differ.
 */
export function overlayParityProblems(
  first: readonly KubernetesObject[],
  second: readonly KubernetesObject[],
): string[] {
  const problems: string[] = [];
  const shape = (objects: readonly KubernetesObject[]): Map<string, string> =>
    new Map(
      platformContainers(objects)
        .filter((entry) => entry.image.servesClients)
        .map(({ workload, container }) => [
          `${workload.name}/${container.name}`,
          JSON.stringify({
            ports: container.ports,
            startupProbe: container.startupProbe,
            livenessProbe: container.livenessProbe,
            readinessProbe: container.readinessProbe,
            lifecycle: container.lifecycle,
            securityContext: container.securityContext,
            podSecurityContext: workload.podSpec.securityContext,
            terminationGracePeriodSeconds: workload.podSpec.terminationGracePeriodSeconds,
          }),
        ]),
    );
  const a = shape(first);
  const b = shape(second);
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(name) === undefined || b.get(name) === undefined)
      problems.push(`${name} is deployed by one overlay only`);
    else if (a.get(name) !== b.get(name))
      problems.push(`${name} differs between the overlays in ports, probes, security or lifecycle`);
  }
  return problems;
}
