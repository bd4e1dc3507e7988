import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { containerEnvironment } from './container-environment';
import {
  containersOf,
  describeObject,
  workloadsOf,
  type KubernetesObject,
  type Workload,
} from './kubernetes-objects';
import {
  DEFAULT_WORKER_SHUTDOWN_GRACE_MS,
  imageTag,
  longestBrokerCallMs,
  millisecondsSetting,
  platformImageOf,
  settingValue,
  type PlatformImage,
  type ProgramSetting,
} from './platform-images';
import { PROBE_KINDS, probeTargets } from './probe-targets';
import { parseQuantity } from './quantity';

/** Margin between the longest drain and the SIGKILL at the end of terminationGracePeriodSeconds. */
export const TERMINATION_MARGIN_SECONDS = 5;

/**
 * Every container: liveness, readiness and startup probes on ports it declares; CPU and memory requests and a
 * memory limit; no root, no privilege escalation, no capabilities, a read-only root filesystem, the runtime's
 * seccomp profile; a pinned image tag. Every pod: no service-account token.
 */
export function containerHardeningProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const workload of workloadsOf(objects)) {
    const subject = describeObject(workload.object);
    const pod = workload.podSpec;
    if (pod.automountServiceAccountToken !== false)
      problems.push(`${subject}: automountServiceAccountToken must be false`);
    for (const container of containersOf(pod)) {
      const where = `${subject} container ${container.name}`;
      for (const kind of PROBE_KINDS) {
        if (container[kind] === undefined) problems.push(`${where}: no ${kind}`);
      }
      problems.push(...probeTargets(container).problems.map((problem) => `${subject}: ${problem}`));
      problems.push(...resourceProblems(container).map((problem) => `${where}: ${problem}`));
      problems.push(...securityProblems(pod, container).map((problem) => `${where}: ${problem}`));
      const tag = container.image === undefined ? undefined : imageTag(container.image);
      if (
        container.image === undefined ||
        (tag === undefined && !container.image.includes('@')) ||
        tag === 'latest'
      ) {
        problems.push(
          `${where}: image ${container.image ?? '<none>'} must name a tag other than latest, or a digest`,
        );
      }
    }
  }
  return problems;
}

function resourceProblems(container: IContainer): string[] {
  const problems: string[] = [];
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  if (requests['cpu'] === undefined) problems.push('no CPU request');
  if (requests['memory'] === undefined) problems.push('no memory request');
  if (limits['memory'] === undefined) problems.push('no memory limit');
  if (
    requests['memory'] !== undefined &&
    limits['memory'] !== undefined &&
    parseQuantity(requests['memory']) > parseQuantity(limits['memory'])
  ) {
    problems.push('memory request above the limit');
  }
  return problems;
}

function securityProblems(pod: IPodSpec, container: IContainer): string[] {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  const context = container.securityContext ?? {};
  if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push('runAsNonRoot must be true');
  if ((context.runAsUser ?? podContext.runAsUser) === 0) problems.push('runs as uid 0');
  if (context.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation must be false');
  if (context.privileged === true) problems.push('must not be privileged');
  if (context.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem must be true');
  if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities must drop ALL');
  if ((context.capabilities?.add ?? []).length > 0)
    problems.push(`adds capabilities ${context.capabilities?.add?.join(', ')}`);
  const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
    problems.push('seccompProfile must be RuntimeDefault (or Localhost)');
  return problems;
}

/** Deployments select exactly their own pods: the selector matches the template, and no other workload's pods. */
export function workloadSelectorProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  const workloads = workloadsOf(objects);
  for (const workload of workloads) {
    const subject = describeObject(workload.object);
    const labels = workload.template.metadata?.labels ?? {};
    if (!matches(workload, labels))
      problems.push(`${subject}: spec.selector does not match the pod template's labels`);
    for (const other of workloads) {
      if (other !== workload && matches(workload, other.template.metadata?.labels ?? {})) {
        problems.push(`${subject}: spec.selector also selects the pods of ${describeObject(other.object)}`);
      }
    }
  }
  return problems;
}

function matches(workload: Workload, labels: Record<string, string>): boolean {
  const selector = workload.selector;
  if (selector === undefined) return false;
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/**
 * The platform's own containers are configured the way the images and the manifests assume: each listening port's
 * variable (or flag) holds the declared container port; servers bind every interface of the pod; BROKERS_CONFIG
 * names a file of a mounted ConfigMap; the writable mounts are exactly the paths the program writes (emptyDir), on
 * an otherwise read-only filesystem; the heap stays below the memory limit.
 */
export function platformContainerProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const { workload, container, image } of platformContainers(objects)) {
    const where = `${describeObject(workload.object)} container ${container.name}`;
    const environment = containerEnvironment(container, objects);
    problems.push(...environment.problems.map((problem) => `${describeObject(workload.object)}: ${problem}`));
    const values = environment.values;
    for (const [portName, variable] of Object.entries(image.portVariables)) {
      const declared = (container.ports ?? []).find((port) => port.name === portName);
      if (declared === undefined) problems.push(`${where}: declares no port named ${portName}`);
      else if (values[variable] !== String(declared.containerPort)) {
        problems.push(
          `${where}: ${variable} is ${values[variable] ?? 'unset'}, the container declares ${portName} ${declared.containerPort}`,
        );
      }
    }
    for (const [portName, flag] of Object.entries(image.portFlags)) {
      const declared = (container.ports ?? []).find((port) => port.name === portName);
      const value = settingValue({ flag }, values, container.args ?? []);
      if (declared === undefined || value !== String(declared.containerPort)) {
        problems.push(`${where}: ${flag} must be given the declared ${portName} port`);
      }
    }
    const args = container.args ?? [];
    if (settingValue(image.bindAddress, values, args) !== '0.0.0.0') {
      problems.push(
        `${where}: ${describeSetting(image.bindAddress)} must be 0.0.0.0 (probes and Services reach the pod's IP, not its loopback)`,
      );
    }
    const brokersConfig = settingValue(image.brokersConfig, values, args);
    if (brokersConfig === undefined || !mountedFromConfigMap(workload.podSpec, container, brokersConfig)) {
      problems.push(`${where}: the brokers file ${brokersConfig ?? '<unset>'} is not in a mounted ConfigMap`);
    }
    problems.push(
      ...writableMountProblems(workload.podSpec, container, image).map((problem) => `${where}: ${problem}`),
    );
    const heap = /--max-old-space-size=(\d+)/.exec(values['NODE_OPTIONS'] ?? '');
    const memoryLimit = container.resources?.limits?.['memory'];
    if (heap && memoryLimit !== undefined && Number(heap[1]) * 1024 * 1024 >= parseQuantity(memoryLimit)) {
      problems.push(
        `${where}: --max-old-space-size=${heap[1]} MiB does not fit the memory limit ${memoryLimit}`,
      );
    }
  }
  return problems;
}

function describeSetting(setting: ProgramSetting): string {
  return 'variable' in setting ? setting.variable : setting.flag;
}

function mountedFromConfigMap(pod: IPodSpec, container: IContainer, file: string): boolean {
  return (container.volumeMounts ?? []).some((mount) => {
    const volume = (pod.volumes ?? []).find((candidate) => candidate.name === mount.name);
    return volume?.configMap !== undefined && file.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`);
  });
}

function writableMountProblems(pod: IPodSpec, container: IContainer, image: PlatformImage): string[] {
  const problems: string[] = [];
  const writable = (container.volumeMounts ?? []).filter((mount) => mount.readOnly !== true);
  for (const mount of writable) {
    const volume = (pod.volumes ?? []).find((candidate) => candidate.name === mount.name);
    if (!image.writablePaths.includes(mount.mountPath))
      problems.push(
        `${mount.mountPath} is mounted writable, the program writes only ${image.writablePaths.join(', ')}`,
      );
    else if (volume?.emptyDir === undefined) problems.push(`${mount.mountPath} must be an emptyDir`);
  }
  for (const path of image.writablePaths) {
    if (!writable.some((mount) => mount.mountPath === path))
      problems.push(`${path} must be mounted writable (the root filesystem is read-only)`);
  }
  return problems;
}

export interface PlatformContainer {
  workload: Workload;
  container: IContainer;
  image: PlatformImage;
}

/** The containers running one of the images this repository builds. */
export function platformContainers(objects: readonly KubernetesObject[]): PlatformContainer[] {
  return workloadsOf(objects).flatMap((workload) =>
    containersOf(workload.podSpec).flatMap((container) => {
      const image = platformImageOf(container.image);
      return image === undefined ? [] : [{ workload, container, image }];
    }),
  );
}

/**
 * terminationGracePeriodSeconds covers the preStop pause, the program's drain (from its configuration) and a
 * margin, so that SIGKILL never cuts a drain short; the worker's shutdown grace outlasts a broker call (its permit
 * wait and its deadline), so that a call in flight at SIGTERM ends with an answer or a timeout (then UNKNOWN,
 * reconciled) before the process does.
 * Apps behind a Service pause in preStop, so that endpoints and clients drop the pod before it stops serving.
 */
export function gracefulTerminationProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const { workload, container, image } of platformContainers(objects)) {
    const where = `${describeObject(workload.object)} container ${container.name}`;
    const values = containerEnvironment(container, objects).values;
    const preStop = container.lifecycle?.preStop;
    const preStopSeconds = preStop?.sleep?.seconds ?? 0;
    if (image.servesClients && preStopSeconds < 1) {
      problems.push(
        `${where}: needs a preStop sleep action, so that endpoints drop the pod before it drains`,
      );
    }
    const needed = preStopSeconds + image.drainSeconds(values) + TERMINATION_MARGIN_SECONDS;
    const grace = workload.podSpec.terminationGracePeriodSeconds ?? 30;
    if (grace < needed) {
      problems.push(
        `${where}: terminationGracePeriodSeconds ${grace} < ${needed} (preStop ${preStopSeconds} s + drain ${image.drainSeconds(values)} s + ${TERMINATION_MARGIN_SECONDS} s)`,
      );
    }
    if (image.project === 'execution-worker') {
      const grace = millisecondsSetting(values, 'WORKER_SHUTDOWN_GRACE_MS', DEFAULT_WORKER_SHUTDOWN_GRACE_MS);
      const longest = longestBrokerCallMs(values);
      if (!(grace > longest))
        problems.push(
          `${where}: WORKER_SHUTDOWN_GRACE_MS (${grace}) must exceed the longest broker call, a permit wait and BROKER_DEADLINE_MS (${longest})`,
        );
    }
  }
  return problems;
}

/**
 * The apps with a database roll one new pod at a time and keep every old one until its successor is ready
 * (maxSurge 1, maxUnavailable 0): the first new pod runs the release's migrations before any other starts.
 * Single-instance datastores are recreated, never run twice on one data directory.
 */
export function rolloutProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const workload of workloadsOf(objects)) {
    const subject = describeObject(workload.object);
    const strategy = (
      workload.object['spec'] as {
        strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } };
      }
    ).strategy;
    const image = platformImageOf(containersOf(workload.podSpec)[0]?.image);
    if (image?.servesClients === true) {
      const rolling = strategy?.rollingUpdate;
      if (strategy?.type !== 'RollingUpdate' || rolling?.maxSurge !== 1 || rolling?.maxUnavailable !== 0) {
        problems.push(`${subject}: must roll out with maxSurge 1 and maxUnavailable 0`);
      }
    } else if (
      workload.object.metadata?.labels?.['app.kubernetes.io/component'] === 'database' &&
      strategy?.type !== 'Recreate'
    ) {
      problems.push(`${subject}: a single database instance must use the Recreate strategy`);
    }
  }
  return problems;
}

/** Share of each broker's budget a process takes when no shared ledger is in use (libs/platform-config default). */
const DEFAULT_RATE_LIMIT_SHARE = 0.5;

/**
 * Where processes fall back to static shares of a broker's budget, all replicas of both apps together stay within
 * it: the sum over containers of replicas x share is at most 1.
 */
export function rateLimitShareProblems(objects: readonly KubernetesObject[]): string[] {
  let total = 0;
  const terms: string[] = [];
  for (const { workload, container, image } of platformContainers(objects)) {
    const variable =
      image.project === 'gateway-api'
        ? 'GATEWAY_RATE_LIMIT_SHARE'
        : image.project === 'execution-worker'
          ? 'WORKER_RATE_LIMIT_SHARE'
          : undefined;
    if (variable === undefined) continue;
    const share = Number(
      containerEnvironment(container, objects).values[variable] ?? DEFAULT_RATE_LIMIT_SHARE,
    );
    total += workload.replicas * share;
    terms.push(`${workload.replicas} x ${share} (${workload.name})`);
  }
  return total > 1 + 1e-9
    ? [`static rate-limit shares add up to ${terms.join(' + ')} = ${total.toFixed(2)} > 1`]
    : [];
}

/**
 * The overlay creates the namespace its objects live in, and the namespace enforces the restricted Pod Security
 * Standard: the API server itself then refuses a pod that would run as root, escalate or keep capabilities.
 */
export function namespaceProblems(objects: readonly KubernetesObject[]): string[] {
  const namespaces = new Set(
    objects.map((object) => object.metadata?.namespace).filter((name): name is string => name !== undefined),
  );
  const declared = objects.filter((object) => object.kind === 'Namespace');
  if (namespaces.size !== 1) return [`objects are spread over ${namespaces.size} namespaces, expected 1`];
  const [name] = namespaces;
  const namespace = declared.find((object) => object.metadata?.name === name);
  if (namespace === undefined) return [`the overlay does not create its namespace ${name}`];
  const problems: string[] = [];
  if (declared.length !== 1) problems.push(`the overlay declares ${declared.length} namespaces, expected 1`);
  if (namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
    problems.push(
      `Namespace/${name} must enforce the restricted Pod Security Standard (pod-security.kubernetes.io/enforce: restricted)`,
    );
  }
  return problems;
}
