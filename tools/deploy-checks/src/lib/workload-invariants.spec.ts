import {
  containerHardeningProblems,
  gracefulTerminationProblems,
  namespaceProblems,
  platformContainerProblems,
  rateLimitShareProblems,
  rolloutProblems,
  workloadSelectorProblems,
} from './workload-invariants';
import { containerIn, deploymentIn, editedFixture, platformFixture } from './testing/platform-fixture';

describe('containerHardeningProblems', () => {
  it('holds for a hardened environment', () => {
    expect(containerHardeningProblems(platformFixture())).toEqual([]);
  });

  it.each([
    [
      'a missing readiness probe',
      (c: Record<string, unknown>) => delete c['readinessProbe'],
      /gateway-api: no readinessProbe$/,
    ],
    [
      'a missing startup probe',
      (c: Record<string, unknown>) => delete c['startupProbe'],
      /gateway-api: no startupProbe$/,
    ],
  ])('reports %s', (_name, edit, expected) => {
    const objects = editedFixture((all) =>
      edit(containerIn(all, 'gateway-api') as unknown as Record<string, unknown>),
    );
    expect(containerHardeningProblems(objects)).toEqual([expect.stringMatching(expected)]);
  });

  it('reports a probe on a port the container does not declare', () => {
    const objects = editedFixture((all) => {
      const probe = containerIn(all, 'execution-worker').startupProbe;
      if (probe?.grpc) probe.grpc.port = 50053;
    });
    expect(containerHardeningProblems(objects)).toEqual([
      'Deployment/execution-worker: container execution-worker: startupProbe calls port 50053, which the container does not declare',
    ]);
  });

  it('reports missing requests and limits, and a request above its limit', () => {
    const objects = editedFixture((all) => {
      containerIn(all, 'gateway-api').resources = {
        requests: { memory: '1Gi' },
        limits: { memory: '512Mi' },
      };
      containerIn(all, 'execution-worker').resources = {};
    });
    expect(containerHardeningProblems(objects)).toEqual([
      'Deployment/gateway-api container gateway-api: no CPU request',
      'Deployment/gateway-api container gateway-api: memory request above the limit',
      'Deployment/execution-worker container execution-worker: no CPU request',
      'Deployment/execution-worker container execution-worker: no memory request',
      'Deployment/execution-worker container execution-worker: no memory limit',
    ]);
  });

  it('reports every weakening of the security context', () => {
    const objects = editedFixture((all) => {
      const pod = deploymentIn(all, 'gateway-api').spec?.template.spec;
      if (pod) pod.securityContext = { runAsUser: 0 };
      containerIn(all, 'gateway-api').securityContext = {
        allowPrivilegeEscalation: true,
        privileged: true,
        readOnlyRootFilesystem: false,
        capabilities: { add: ['NET_ADMIN'] },
      };
      delete deploymentIn(all, 'execution-worker').spec?.template.spec?.automountServiceAccountToken;
    });
    expect(containerHardeningProblems(objects)).toEqual([
      'Deployment/gateway-api container gateway-api: runAsNonRoot must be true',
      'Deployment/gateway-api container gateway-api: runs as uid 0',
      'Deployment/gateway-api container gateway-api: allowPrivilegeEscalation must be false',
      'Deployment/gateway-api container gateway-api: must not be privileged',
      'Deployment/gateway-api container gateway-api: readOnlyRootFilesystem must be true',
      'Deployment/gateway-api container gateway-api: capabilities must drop ALL',
      'Deployment/gateway-api container gateway-api: adds capabilities NET_ADMIN',
      'Deployment/gateway-api container gateway-api: seccompProfile must be RuntimeDefault (or Localhost)',
      'Deployment/execution-worker: automountServiceAccountToken must be false',
    ]);
  });

  it('wants a pinned image tag', () => {
    const objects = editedFixture((all) => {
      containerIn(all, 'gateway-api').image = 'registry.example.com/qts/gateway-api';
      containerIn(all, 'execution-worker').image = 'registry.example.com:5000/qts/execution-worker:latest';
      containerIn(all, 'jts-simulator').image = 'qts/jts-simulator@sha256:0123';
    });
    expect(containerHardeningProblems(objects)).toEqual([
      expect.stringContaining('image registry.example.com/qts/gateway-api must name a tag'),
      expect.stringContaining('image registry.example.com:5000/qts/execution-worker:latest must name a tag'),
    ]);
  });
});

describe('workloadSelectorProblems', () => {
  it('reports a selector that misses its own pods or takes another workload`s', () => {
    const objects = editedFixture((all) => {
      const gateway = deploymentIn(all, 'gateway-api');
      if (gateway.spec)
        gateway.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'execution-worker' } };
    });
    expect(workloadSelectorProblems(objects)).toEqual([
      "Deployment/gateway-api: spec.selector does not match the pod template's labels",
      'Deployment/gateway-api: spec.selector also selects the pods of Deployment/execution-worker',
    ]);
    expect(workloadSelectorProblems(platformFixture())).toEqual([]);
  });
});

describe('platformContainerProblems', () => {
  it('holds when ports, bind address, brokers file and writable mounts agree with the images', () => {
    expect(platformContainerProblems(platformFixture())).toEqual([]);
  });

  it('reports a port variable that differs from the declared port, and loopback binding', () => {
    const objects = editedFixture((all) => {
      const env = containerIn(all, 'gateway-api').env ?? [];
      for (const variable of env) {
        if (variable.name === 'GATEWAY_GRPC_PORT') variable.value = '50055';
        if (variable.name === 'BIND_HOST') variable.value = '127.0.0.1';
      }
    });
    expect(platformContainerProblems(objects)).toEqual([
      'Deployment/gateway-api container gateway-api: GATEWAY_GRPC_PORT is 50055, the container declares grpc 50051',
      "Deployment/gateway-api container gateway-api: BIND_HOST must be 0.0.0.0 (probes and Services reach the pod's IP, not its loopback)",
    ]);
  });

  it('reads the simulator`s flags: --admin-port, --host and --config', () => {
    const objects = editedFixture((all) => {
      containerIn(all, 'jts-simulator').args = [
        '--config',
        '/etc/other/brokers.yaml',
        '--admin-port',
        '50070',
      ];
    });
    expect(platformContainerProblems(objects)).toEqual([
      'Deployment/jts-simulator container jts-simulator: --admin-port must be given the declared grpc-admin port',
      "Deployment/jts-simulator container jts-simulator: --host must be 0.0.0.0 (probes and Services reach the pod's IP, not its loopback)",
      'Deployment/jts-simulator container jts-simulator: the brokers file /etc/other/brokers.yaml is not in a mounted ConfigMap',
    ]);
  });

  it('wants exactly the writable paths the program uses, as emptyDir, and a heap below the memory limit', () => {
    const objects = editedFixture((all) => {
      const container = containerIn(all, 'execution-worker');
      container.volumeMounts = (container.volumeMounts ?? []).filter((mount) => mount.mountPath !== '/tmp');
      container.volumeMounts.push({ name: 'brokers-config', mountPath: '/app/cache' });
      container.env?.push({ name: 'NODE_OPTIONS', value: '--max-old-space-size=600' });
      const pod = deploymentIn(all, 'gateway-api').spec?.template.spec;
      const data = pod?.volumes?.find((volume) => volume.name === 'data');
      if (data) data.hostPath = { path: '/var/data' };
      if (data) delete data.emptyDir;
    });
    expect(platformContainerProblems(objects)).toEqual([
      'Deployment/gateway-api container gateway-api: /app/data must be an emptyDir',
      'Deployment/execution-worker container execution-worker: /app/cache is mounted writable, the program writes only /app/data, /tmp',
      'Deployment/execution-worker container execution-worker: /tmp must be mounted writable (the root filesystem is read-only)',
      'Deployment/execution-worker container execution-worker: --max-old-space-size=600 MiB does not fit the memory limit 512Mi',
    ]);
  });

  it('reports a ConfigMap the environment reads but the overlay does not render', () => {
    const objects = editedFixture((all) => {
      all.splice(
        all.findIndex((object) => object.metadata?.name === 'platform-settings'),
        1,
      );
    });
    expect(platformContainerProblems(objects)).toContain(
      'Deployment/gateway-api: container gateway-api reads ConfigMap platform-settings, which is not rendered',
    );
  });
});

describe('gracefulTerminationProblems', () => {
  it('holds when the grace period covers preStop, the drain and the margin', () => {
    expect(gracefulTerminationProblems(platformFixture())).toEqual([]);
  });

  it('reports a grace period shorter than preStop + drain + margin, from the configured drain', () => {
    const objects = editedFixture((all) => {
      containerIn(all, 'execution-worker').env?.push({ name: 'WORKER_SHUTDOWN_GRACE_MS', value: '20000' });
    });
    expect(gracefulTerminationProblems(objects)).toEqual([
      'Deployment/execution-worker container execution-worker: terminationGracePeriodSeconds 30 < 31 (preStop 5 s + drain 21 s + 5 s)',
    ]);
  });

  it('wants the worker`s grace above the longest broker call, and a preStop pause on the apps', () => {
    const objects = editedFixture((all) => {
      containerIn(all, 'execution-worker').env?.push({ name: 'WORKER_SHUTDOWN_GRACE_MS', value: '15000' });
      delete containerIn(all, 'gateway-api').lifecycle;
    });
    expect(gracefulTerminationProblems(objects)).toEqual([
      'Deployment/gateway-api container gateway-api: needs a preStop sleep action, so that endpoints drop the pod before it drains',
      'Deployment/execution-worker container execution-worker: WORKER_SHUTDOWN_GRACE_MS (15000) must exceed the longest broker call, a permit wait and BROKER_DEADLINE_MS (15000)',
    ]);
  });
});

describe('rolloutProblems', () => {
  it('wants the apps rolled one pod at a time and a database recreated', () => {
    expect(rolloutProblems(platformFixture())).toEqual([]);
    const objects = editedFixture((all) => {
      const gateway = deploymentIn(all, 'gateway-api').spec;
      if (gateway)
        gateway.strategy = {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        };
      const postgres = deploymentIn(all, 'postgres').spec;
      if (postgres) postgres.strategy = { type: 'RollingUpdate' };
    });
    expect(rolloutProblems(objects)).toEqual([
      'Deployment/gateway-api: must roll out with maxSurge 1 and maxUnavailable 0',
      'Deployment/postgres: a single database instance must use the Recreate strategy',
    ]);
  });
});

describe('rateLimitShareProblems', () => {
  it('adds replicas x share over both apps (3 x 0.16 + 2 x 0.25 = 0.98 holds)', () => {
    expect(rateLimitShareProblems(platformFixture())).toEqual([]);
  });

  it('reports a scale-up that takes the static shares past the budget', () => {
    const objects = editedFixture((all) => {
      const gateway = deploymentIn(all, 'gateway-api').spec;
      if (gateway) gateway.replicas = 4;
    });
    expect(rateLimitShareProblems(objects)).toEqual([
      'static rate-limit shares add up to 4 x 0.16 (gateway-api) + 2 x 0.25 (execution-worker) = 1.14 > 1',
    ]);
  });

  it('counts an unset share at its default of 0.5', () => {
    const objects = editedFixture((all) => {
      const container = containerIn(all, 'execution-worker');
      container.env = container.env?.filter((variable) => variable.name !== 'WORKER_RATE_LIMIT_SHARE');
    });
    expect(rateLimitShareProblems(objects)).toEqual([
      'static rate-limit shares add up to 3 x 0.16 (gateway-api) + 2 x 0.5 (execution-worker) = 1.48 > 1',
    ]);
  });
});

describe('namespaceProblems', () => {
  it('wants the overlay to create its one namespace with the restricted Pod Security Standard enforced', () => {
    expect(namespaceProblems(platformFixture())).toEqual([]);
    const baseline = editedFixture((all) => {
      const namespace = all.find((object) => object.kind === 'Namespace');
      if (namespace?.metadata)
        namespace.metadata.labels = { 'pod-security.kubernetes.io/enforce': 'baseline' };
    });
    expect(namespaceProblems(baseline)).toEqual([
      'Namespace/qts-test must enforce the restricted Pod Security Standard (pod-security.kubernetes.io/enforce: restricted)',
    ]);
    const missing = editedFixture((all) =>
      all.splice(
        all.findIndex((object) => object.kind === 'Namespace'),
        1,
      ),
    );
    expect(namespaceProblems(missing)).toEqual(['the overlay does not create its namespace qts-test']);
    const spread = editedFixture((all) => {
      const service = all.find((object) => object.kind === 'Service');
      if (service?.metadata) service.metadata.namespace = 'elsewhere';
    });
    expect(namespaceProblems(spread)).toEqual(['objects are spread over 2 namespaces, expected 1']);
  });
});
