import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { brokerEndpoints, renderedBrokersFile } from './brokers-config';
import {
  containersOf,
  describeObject,
  findContainerPort,
  objectsOfKind,
  type KubernetesObject,
  type Workload,
} from './kubernetes-objects';
import { allowsConnection, type NetworkEndpoint } from './network-policy-evaluation';
import { selectedWorkloads } from './service-invariants';
import { platformContainers } from './workload-invariants';

/** Pod labels that grant access, in any namespace (deploy/base/network-policies.yaml). */
export const ACCESS_LABELS = {
  gatewayClient: 'qts.io/gateway-client',
  executionClient: 'qts.io/execution-client',
  metricsScraper: 'qts.io/metrics-scraper',
} as const;

/** An address in the private ranges (where managed services and the JTS server live) and one on the internet. */
const PRIVATE_ADDRESS = '10.20.30.40';
const PUBLIC_ADDRESS = '203.0.113.10';

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
};

/**
 * The NetworkPolicies let exactly the expected traffic through: everything is denied by default; DNS is allowed;
 * callers holding an access label reach the ports that label grants and nothing else; the apps reach their brokers,
 * PostgreSQL and Redis (in-cluster pods in dev, private addresses in prod) and nothing on the internet; no rule
 * allows every peer or every address.
 */
export function networkPolicyProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  const policies = objectsOfKind<INetworkPolicy>(objects, 'NetworkPolicy');
  const namespace = objects.find((object) => object.metadata?.namespace)?.metadata?.namespace ?? 'default';

  if (!policies.some(isDefaultDeny))
    problems.push('no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)');
  for (const policy of policies) {
    const subject = describeObject(policy as unknown as KubernetesObject);
    const rules = [
      ...(policy.spec?.ingress ?? []).map((rule) => rule.from),
      ...(policy.spec?.egress ?? []).map((rule) => rule.to),
    ];
    if (rules.some((peers) => peers === undefined || peers.length === 0))
      problems.push(`${subject}: a rule without peers allows everyone`);
    for (const peers of rules) {
      for (const peer of peers ?? []) {
        if (peer.ipBlock && /^(0\.0\.0\.0|::)\/0$/.test(peer.ipBlock.cidr))
          problems.push(`${subject}: ipBlock ${peer.ipBlock.cidr} allows every address`);
      }
    }
  }

  const pod = (workload: Workload): NetworkEndpoint => ({
    kind: 'pod',
    labels: workload.template.metadata?.labels ?? {},
    namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
    governed: true,
    containers: containersOf(workload.podSpec),
  });
  const caller = (labels: Record<string, string>, callerNamespace: string): NetworkEndpoint => ({
    kind: 'pod',
    labels,
    namespaceLabels: { 'kubernetes.io/metadata.name': callerNamespace },
    governed: callerNamespace === namespace,
    containers: [],
  });
  const dns = caller({ 'k8s-app': 'kube-dns' }, 'kube-system');
  const expect = (
    allowed: boolean,
    from: NetworkEndpoint,
    to: NetworkEndpoint,
    port: number,
    what: string,
    protocol: 'TCP' | 'UDP' = 'TCP',
  ): void => {
    if (allowsConnection(policies, { from, to, port, protocol }) !== allowed)
      problems.push(`${what} must be ${allowed ? 'allowed' : 'denied'}`);
  };

  const apps = platformContainers(objects).filter((entry) => entry.image.servesClients);
  for (const { workload } of platformContainers(objects)) {
    expect(true, pod(workload), dns, 53, `${workload.name} -> DNS 53/UDP`, 'UDP');
    expect(true, pod(workload), dns, 53, `${workload.name} -> DNS 53/TCP`);
    expect(
      false,
      pod(workload),
      { kind: 'external', ip: PUBLIC_ADDRESS },
      443,
      `${workload.name} -> the internet (443)`,
    );
  }

  const grants: Record<string, Record<string, readonly string[]>> = {
    'gateway-api': {
      [ACCESS_LABELS.gatewayClient]: ['http', 'grpc'],
      [ACCESS_LABELS.metricsScraper]: ['http'],
    },
    'execution-worker': {
      [ACCESS_LABELS.executionClient]: ['grpc'],
      [ACCESS_LABELS.metricsScraper]: ['http'],
    },
  };
  for (const { workload, container, image } of apps) {
    const granted = grants[image.project] ?? {};
    for (const port of container.ports ?? []) {
      const name = port.name ?? String(port.containerPort);
      for (const label of Object.values(ACCESS_LABELS)) {
        const allowed = (granted[label] ?? []).includes(name);
        expect(
          allowed,
          caller({ [label]: 'true' }, 'clients'),
          pod(workload),
          port.containerPort,
          `a pod labelled ${label} in another namespace -> ${workload.name} ${name}`,
        );
      }
      expect(
        false,
        caller({}, 'clients'),
        pod(workload),
        port.containerPort,
        `an unlabelled pod in another namespace -> ${workload.name} ${name}`,
      );
      expect(
        false,
        caller({}, namespace),
        pod(workload),
        port.containerPort,
        `an unlabelled pod of the namespace -> ${workload.name} ${name}`,
      );
    }
  }

  // The gateway tells the worker of accounts added at run time: its HTTP port, not its gRPC port.
  const gateway = apps.find((entry) => entry.image.project === 'gateway-api');
  const worker = apps.find((entry) => entry.image.project === 'execution-worker');
  if (gateway && worker) {
    for (const port of worker.container.ports ?? []) {
      expect(
        port.name === 'http',
        pod(gateway.workload),
        pod(worker.workload),
        port.containerPort,
        `gateway-api -> execution-worker ${port.name ?? port.containerPort}`,
      );
    }
  }

  // What the apps call: the brokers, and the datastores named by URLs in Secrets (dev) or by ExternalName Services.
  const destinations = [
    ...brokerEndpoints(renderedBrokersFile(objects)).map((broker) => ({
      what: `broker ${broker.id}`,
      host: broker.host,
      port: broker.port,
    })),
    ...datastoreUrls(objects),
    ...objectsOfKind<IService>(objects, 'Service')
      .filter((service) => service.spec?.type === 'ExternalName')
      .flatMap((service) =>
        (service.spec?.ports ?? []).map((port) => ({
          what: `${service.metadata?.name} (ExternalName)`,
          host: service.metadata?.name ?? '',
          port: port.port,
        })),
      ),
  ];
  for (const destination of destinations) {
    const targets = destinationEndpoints(objects, destination.host, destination.port, namespace);
    if (targets.length === 0)
      problems.push(
        `${destination.what}: ${destination.host}:${destination.port} leads to no pod that declares the port and no external address`,
      );
    for (const { workload } of apps) {
      for (const target of targets) {
        expect(
          true,
          pod(workload),
          target.endpoint,
          target.port,
          `${workload.name} -> ${destination.what} (${destination.host}:${destination.port})`,
        );
      }
    }
  }
  return problems;
}

function isDefaultDeny(policy: INetworkPolicy): boolean {
  const spec = policy.spec;
  const selectsAll =
    Object.keys(spec?.podSelector?.matchLabels ?? {}).length === 0 &&
    (spec?.podSelector?.matchExpressions ?? []).length === 0;
  const types = spec?.policyTypes ?? [];
  return (
    selectsAll &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    (spec?.ingress ?? []).length === 0 &&
    (spec?.egress ?? []).length === 0
  );
}

/** host:port of the postgres:// and redis:// URLs in rendered Secrets. */
function datastoreUrls(objects: readonly KubernetesObject[]): { what: string; host: string; port: number }[] {
  return objectsOfKind<ISecret>(objects, 'Secret').flatMap((secret) =>
    Object.entries({ ...decodeData(secret.data), ...(secret.stringData ?? {}) }).flatMap(([key, value]) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return [];
      }
      const defaultPort = DEFAULT_PORTS[url.protocol];
      if (defaultPort === undefined) return [];
      return [
        {
          what: `Secret ${secret.metadata?.name} ${key}`,
          host: url.hostname,
          port: url.port ? Number(url.port) : defaultPort,
        },
      ];
    }),
  );
}

function decodeData(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
  );
}

/** Where a connection to host:port lands: the pods behind a Service, or an external address for an ExternalName. */
function destinationEndpoints(
  objects: readonly KubernetesObject[],
  host: string,
  port: number,
  namespace: string,
): { endpoint: NetworkEndpoint; port: number }[] {
  const service = objectsOfKind<IService>(objects, 'Service').find(
    (candidate) => candidate.metadata?.name === host,
  );
  if (service === undefined)
    return host.includes('.') ? [{ endpoint: { kind: 'external', ip: PRIVATE_ADDRESS }, port }] : [];
  if (service.spec?.type === 'ExternalName')
    return [{ endpoint: { kind: 'external', ip: PRIVATE_ADDRESS }, port }];
  const servicePort = (service.spec?.ports ?? []).find((candidate) => candidate.port === port);
  if (servicePort === undefined) return [];
  return selectedWorkloads(objects, service.spec?.selector).flatMap((workload) => {
    const containers: IContainer[] = containersOf(workload.podSpec);
    const declared = findContainerPort(containers, servicePort.targetPort ?? servicePort.port);
    if (declared === undefined) return [];
    const endpoint: NetworkEndpoint = {
      kind: 'pod',
      labels: workload.template.metadata?.labels ?? {},
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
      governed: true,
      containers,
    };
    return [{ endpoint, port: declared.containerPort }];
  });
}
