import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { KubernetesObject } from './kubernetes-objects';
import { networkPolicyProblems } from './network-invariants';
import { editedFixture, objectIn, platformFixture } from './testing/platform-fixture';

const policy = (objects: readonly KubernetesObject[], name: string): INetworkPolicy =>
  objectIn<INetworkPolicy>(objects, 'NetworkPolicy', name);

describe('networkPolicyProblems', () => {
  it('holds for default deny, DNS, label-granted callers and the apps` own destinations', () => {
    expect(networkPolicyProblems(platformFixture())).toEqual([]);
  });

  it('reports a missing default deny', () => {
    const objects = editedFixture((all) => {
      const deny = policy(all, 'default-deny').spec;
      if (deny) deny.policyTypes = ['Ingress'];
    });
    expect(networkPolicyProblems(objects)).toContain(
      'no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)',
    );
  });

  it('reports DNS cut off', () => {
    const objects = editedFixture((all) =>
      all.splice(all.indexOf(policy(all, 'allow-dns') as unknown as KubernetesObject), 1),
    );
    expect(networkPolicyProblems(objects)).toEqual(
      expect.arrayContaining([
        'gateway-api -> DNS 53/UDP must be allowed',
        'jts-simulator -> DNS 53/TCP must be allowed',
      ]),
    );
  });

  it('reports a label that reaches a port it should not (an order-placing port opened to gateway clients)', () => {
    const objects = editedFixture((all) => {
      const ingress = policy(all, 'execution-worker-ingress').spec?.ingress;
      if (ingress)
        ingress[0].from = [
          { namespaceSelector: {}, podSelector: { matchLabels: { 'qts.io/gateway-client': 'true' } } },
        ];
    });
    expect(networkPolicyProblems(objects)).toEqual([
      'a pod labelled qts.io/gateway-client in another namespace -> execution-worker grpc must be denied',
      'a pod labelled qts.io/execution-client in another namespace -> execution-worker grpc must be allowed',
    ]);
  });

  it("reports the gateway cut off from the worker's admin API, and the worker's gRPC port opened to it", () => {
    const cutOff = editedFixture((all) =>
      all.splice(all.indexOf(policy(all, 'gateway-api-to-execution-worker') as unknown as KubernetesObject), 1),
    );
    expect(networkPolicyProblems(cutOff)).toEqual(['gateway-api -> execution-worker http must be allowed']);

    const widened = editedFixture((all) => {
      const ingress = policy(all, 'execution-worker-ingress').spec?.ingress;
      if (ingress) ingress[1].ports = [{ port: 'http' }, { port: 'grpc' }];
      const egress = policy(all, 'gateway-api-to-execution-worker').spec?.egress;
      if (egress) egress[0].ports = [{ port: 3001 }, { port: 50052 }];
    });
    expect(networkPolicyProblems(widened)).toEqual(['gateway-api -> execution-worker grpc must be denied']);
  });

  it('reports rules that allow everyone or every address', () => {
    const objects = editedFixture((all) => {
      const ingress = policy(all, 'gateway-api-ingress').spec?.ingress;
      if (ingress) delete ingress[1].from;
      const egress = policy(all, 'apps-egress').spec?.egress;
      egress?.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] });
    });
    expect(networkPolicyProblems(objects)).toEqual([
      'NetworkPolicy/gateway-api-ingress: a rule without peers allows everyone',
      'NetworkPolicy/apps-egress: ipBlock 0.0.0.0/0 allows every address',
      'gateway-api -> the internet (443) must be denied',
      'execution-worker -> the internet (443) must be denied',
      'a pod labelled qts.io/execution-client in another namespace -> gateway-api http must be denied',
      'an unlabelled pod in another namespace -> gateway-api http must be denied',
    ]);
  });

  it('reports an app that cannot reach its broker or its database', () => {
    const objects = editedFixture((all) => {
      const egress = policy(all, 'apps-egress').spec?.egress;
      egress?.splice(1, 1);
      const simulator = policy(all, 'jts-simulator-ingress').spec?.ingress;
      if (simulator) simulator[0].ports = [{ port: 50062 }];
    });
    expect(networkPolicyProblems(objects)).toEqual([
      'gateway-api -> broker kis (jts-simulator:50061) must be allowed',
      'execution-worker -> broker kis (jts-simulator:50061) must be allowed',
      'gateway-api -> Secret qts-database gateway-url (postgres:5432) must be allowed',
      'execution-worker -> Secret qts-database gateway-url (postgres:5432) must be allowed',
      'gateway-api -> Secret qts-database worker-url (postgres:5432) must be allowed',
      'execution-worker -> Secret qts-database worker-url (postgres:5432) must be allowed',
    ]);
  });

  it('checks ExternalName destinations and brokers outside the cluster against address-range egress', () => {
    const objects = editedFixture((all) => {
      for (const name of ['jts-simulator-ingress', 'postgres-ingress'])
        all.splice(all.indexOf(policy(all, name) as unknown as KubernetesObject), 1);
      objectIn<IConfigMap>(all, 'ConfigMap', 'brokers-config').data = {
        'brokers.yaml': 'brokers:\n  - { id: kis, grpc: { host: jts.example.internal, port: 50061 } }\n',
      };
      all.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'redis' },
        spec: {
          type: 'ExternalName',
          externalName: 'r.example.internal',
          ports: [{ name: 'redis', port: 6379 }],
        },
      });
      const egress = policy(all, 'apps-egress').spec;
      if (egress)
        egress.egress = [
          { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 50061 }, { port: 5432 }] },
        ];
    });
    expect(networkPolicyProblems(objects)).toEqual([
      'gateway-api -> Secret qts-database gateway-url (postgres:5432) must be allowed',
      'execution-worker -> Secret qts-database gateway-url (postgres:5432) must be allowed',
      'gateway-api -> Secret qts-database worker-url (postgres:5432) must be allowed',
      'execution-worker -> Secret qts-database worker-url (postgres:5432) must be allowed',
      'gateway-api -> redis (ExternalName) (redis:6379) must be allowed',
      'execution-worker -> redis (ExternalName) (redis:6379) must be allowed',
    ]);
  });
});
