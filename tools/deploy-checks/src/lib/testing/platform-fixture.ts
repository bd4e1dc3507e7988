import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { KubernetesObject } from '../kubernetes-objects';

/**
 * A small rendered environment that satisfies every invariant (the shape of deploy/overlays/dev, one broker): the
 * specs break one thing in a copy and expect exactly that to be reported.
 */
export function platformFixture(): KubernetesObject[] {
  const namespace = 'qts-test';
  const meta = (name: string, labels: Record<string, string> = {}): KubernetesObject['metadata'] => ({
    name,
    namespace,
    labels,
  });
  const encode = (value: string): string => Buffer.from(value, 'utf8').toString('base64');
  const databaseUrl = 'postgres://qts:dev-only@postgres:5432/qts';

  const hardened = () => ({
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  const podSecurity = () => ({
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  const resources = () => ({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
  const httpProbe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 5 });
  const appVolumes = () => [
    { name: 'brokers-config', configMap: { name: 'brokers-config' } },
    { name: 'data', emptyDir: {} },
    { name: 'tmp', emptyDir: {} },
  ];
  const appMounts = () => [
    { name: 'brokers-config', mountPath: '/etc/qts/brokers', readOnly: true },
    { name: 'data', mountPath: '/app/data' },
    { name: 'tmp', mountPath: '/tmp' },
  ];

  const app = (options: {
    name: string;
    replicas: number;
    http: number;
    grpc: number;
    prefix: 'GATEWAY' | 'WORKER';
    share: string;
    grace: number;
    startupService: string;
    extraEnv?: { name: string; value: string }[];
  }): KubernetesObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(options.name, { 'app.kubernetes.io/name': options.name }),
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': options.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': options.name } },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: options.grace,
          securityContext: podSecurity(),
          containers: [
            {
              name: options.name,
              image: `registry.example.com/qts/${options.name}:1.0.0`,
              ports: [
                { name: 'http', containerPort: options.http },
                { name: 'grpc', containerPort: options.grpc },
              ],
              envFrom: [{ configMapRef: { name: 'platform-settings' } }],
              env: [
                { name: 'BIND_HOST', value: '0.0.0.0' },
                { name: `${options.prefix}_HTTP_PORT`, value: String(options.http) },
                { name: `${options.prefix}_GRPC_PORT`, value: String(options.grpc) },
                { name: `${options.prefix}_RATE_LIMIT_SHARE`, value: options.share },
                { name: 'NODE_OPTIONS', value: '--max-old-space-size=384' },
                ...(options.extraEnv ?? []),
                {
                  name: 'DATABASE_URL',
                  valueFrom: {
                    secretKeyRef: {
                      name: 'qts-database',
                      key: `${options.name === 'gateway-api' ? 'gateway' : 'worker'}-url`,
                    },
                  },
                },
                {
                  name: 'ADMIN_API_KEY',
                  valueFrom: { secretKeyRef: { name: 'qts-api-keys', key: 'admin-api-key' } },
                },
              ],
              startupProbe: {
                grpc: { port: options.grpc, service: options.startupService },
                periodSeconds: 2,
                failureThreshold: 30,
              },
              livenessProbe: httpProbe('/health/live'),
              readinessProbe: httpProbe('/health/ready'),
              lifecycle: { preStop: { sleep: { seconds: 5 } } },
              resources: resources(),
              securityContext: hardened(),
              volumeMounts: appMounts(),
            },
          ],
          volumes: appVolumes(),
        },
      },
    },
  });

  const simulator: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('jts-simulator', { 'app.kubernetes.io/name': 'jts-simulator', 'qts.io/dev-only': 'true' }),
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'jts-simulator' } },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'jts-simulator' } },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 10,
          securityContext: podSecurity(),
          containers: [
            {
              name: 'jts-simulator',
              image: 'qts/jts-simulator:dev',
              args: [
                '--config',
                '/etc/qts/brokers/brokers.yaml',
                '--host',
                '0.0.0.0',
                '--admin-port',
                '50060',
              ],
              ports: [
                { name: 'grpc-admin', containerPort: 50060 },
                { name: 'grpc-kis', containerPort: 50061 },
              ],
              startupProbe: { grpc: { port: 50060 }, periodSeconds: 1, failureThreshold: 30 },
              livenessProbe: { grpc: { port: 50060 } },
              readinessProbe: { grpc: { port: 50060, service: 'qts.simulator.v1.SimulatorAdminService' } },
              resources: resources(),
              securityContext: hardened(),
              volumeMounts: [
                { name: 'brokers-config', mountPath: '/etc/qts/brokers', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'brokers-config', configMap: { name: 'brokers-config' } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };

  const postgres: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('postgres', {
      'app.kubernetes.io/name': 'postgres',
      'app.kubernetes.io/component': 'database',
      'qts.io/dev-only': 'true',
    }),
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'postgres' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { ...podSecurity(), runAsUser: 999 },
          containers: [
            {
              name: 'postgres',
              image: 'postgres:15-bookworm',
              ports: [{ name: 'postgres', containerPort: 5432 }],
              env: [
                {
                  name: 'POSTGRES_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'qts-dev-datastores', key: 'postgres-password' } },
                },
              ],
              startupProbe: { exec: { command: ['pg_isready'] } },
              livenessProbe: { tcpSocket: { port: 'postgres' } },
              readinessProbe: { exec: { command: ['pg_isready'] } },
              resources: resources(),
              securityContext: hardened(),
            },
          ],
        },
      },
    },
  };

  const service = (
    name: string,
    ports: { name: string; port: number; appProtocol?: string }[],
  ): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      selector: { 'app.kubernetes.io/name': name },
      ports: ports.map((port) => ({ ...port, targetPort: port.name })),
    },
  });
  const budget = (name: string): KubernetesObject => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(name),
    spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } },
  });
  const policy = (name: string, spec: Record<string, unknown>): KubernetesObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec,
  });
  const appsSelector = {
    matchExpressions: [
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['gateway-api', 'execution-worker'] },
    ],
  };
  const anyNamespacePod = (label: string) => ({
    namespaceSelector: {},
    podSelector: { matchLabels: { [label]: 'true' } },
  });

  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('platform-settings'),
      data: {
        NODE_ENV: 'production',
        BROKERS_CONFIG: '/etc/qts/brokers/brokers.yaml',
        BROKER_DEADLINE_MS: '5000',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('brokers-config'),
      data: {
        'brokers.yaml':
          'brokers:\n  - id: kis\n    type: KIS\n    grpc: { host: jts-simulator, port: 50061 }\n    rateLimit: { preset: kis-paper }\n',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('qts-database', { 'qts.io/dev-only': 'true' }),
      data: { 'gateway-url': encode(databaseUrl), 'worker-url': encode(databaseUrl) },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('qts-api-keys', { 'qts.io/dev-only': 'true' }),
      data: { 'admin-api-key': encode('dev-only-admin-key') },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('qts-dev-datastores', { 'qts.io/dev-only': 'true' }),
      data: { 'postgres-password': encode('dev-only') },
    },
    app({
      name: 'gateway-api',
      replicas: 3,
      http: 3000,
      grpc: 50051,
      prefix: 'GATEWAY',
      share: '0.16',
      grace: 30,
      startupService: '',
    }),
    app({
      name: 'execution-worker',
      replicas: 2,
      http: 3001,
      grpc: 50052,
      prefix: 'WORKER',
      share: '0.25',
      grace: 30,
      startupService: 'qts.execution.v1.ExecutionService',
      extraEnv: [{ name: 'WORKER_SHUTDOWN_GRACE_MS', value: '16000' }],
    }),
    simulator,
    postgres,
    service('gateway-api', [
      { name: 'http', port: 3000 },
      { name: 'grpc', port: 50051, appProtocol: 'grpc' },
    ]),
    service('execution-worker', [
      { name: 'http', port: 3001 },
      { name: 'grpc', port: 50052, appProtocol: 'grpc' },
    ]),
    service('jts-simulator', [
      { name: 'grpc-admin', port: 50060, appProtocol: 'grpc' },
      { name: 'grpc-kis', port: 50061, appProtocol: 'grpc' },
    ]),
    service('postgres', [{ name: 'postgres', port: 5432 }]),
    budget('gateway-api'),
    budget('execution-worker'),
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy('gateway-api-ingress', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway-api' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [anyNamespacePod('qts.io/gateway-client')], ports: [{ port: 'http' }, { port: 'grpc' }] },
        { from: [anyNamespacePod('qts.io/metrics-scraper')], ports: [{ port: 'http' }] },
      ],
    }),
    policy('execution-worker-ingress', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'execution-worker' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [anyNamespacePod('qts.io/execution-client')], ports: [{ port: 'grpc' }] },
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway-api' } } }],
          ports: [{ port: 'http' }],
        },
        { from: [anyNamespacePod('qts.io/metrics-scraper')], ports: [{ port: 'http' }] },
      ],
    }),
    policy('gateway-api-to-execution-worker', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway-api' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'execution-worker' } } }],
          ports: [{ port: 3001 }],
        },
      ],
    }),
    policy('apps-egress', {
      podSelector: appsSelector,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jts-simulator' } } }],
          ports: [{ port: 50061, endPort: 50063 }],
        },
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } } }],
          ports: [{ port: 5432 }],
        },
      ],
    }),
    policy('jts-simulator-ingress', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jts-simulator' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: appsSelector }], ports: [{ port: 50061, endPort: 50063 }] }],
    }),
    policy('postgres-ingress', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: appsSelector }], ports: [{ port: 'postgres' }] }],
    }),
  ];
}

/** A deep copy of the fixture with one change applied by `edit`. */
export function editedFixture(edit: (objects: KubernetesObject[]) => void): KubernetesObject[] {
  const objects = structuredClone(platformFixture());
  edit(objects);
  return objects;
}

/** The object of a kind and name, for edits and reads in specs. */
export function objectIn<T = KubernetesObject>(
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name} in the fixture`);
  return found as unknown as T;
}

export function deploymentIn(objects: readonly KubernetesObject[], name: string): IDeployment {
  return objectIn<IDeployment>(objects, 'Deployment', name);
}

/** The (only) container of a Deployment. */
export function containerIn(objects: readonly KubernetesObject[], name: string): IContainer {
  const container = deploymentIn(objects, name).spec?.template.spec?.containers[0];
  if (container === undefined) throw new Error(`Deployment/${name} has no container`);
  return container;
}
