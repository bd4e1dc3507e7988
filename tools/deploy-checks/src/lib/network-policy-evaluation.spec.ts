import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { allowsConnection, inCidr, policyTypes, type NetworkEndpoint } from './network-policy-evaluation';

const pod = (
  labels: Record<string, string>,
  namespace = 'qts',
  ports: { name: string; containerPort: number }[] = [],
): NetworkEndpoint => ({
  kind: 'pod',
  labels,
  namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
  governed: namespace === 'qts',
  containers: [{ name: 'c', ports }],
});
const api = pod({ app: 'api' }, 'qts', [{ name: 'http', containerPort: 3000 }]);
const ingressOnly = (ingress: NonNullable<INetworkPolicy['spec']>['ingress']): INetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  spec: { podSelector: { matchLabels: { app: 'api' } }, ingress },
});

describe('allowsConnection', () => {
  it('lets everything through to pods no policy selects', () => {
    expect(allowsConnection([], { from: pod({}), to: api, port: 3000 })).toBe(true);
  });

  it('resolves named ports on the receiving pod and honours endPort ranges', () => {
    const named = [ingressOnly([{ from: [{ podSelector: {} }], ports: [{ port: 'http' }] }])];
    expect(allowsConnection(named, { from: pod({}), to: api, port: 3000 })).toBe(true);
    expect(allowsConnection(named, { from: pod({}), to: api, port: 3001 })).toBe(false);
    const range = [ingressOnly([{ from: [{ podSelector: {} }], ports: [{ port: 2999, endPort: 3000 }] }])];
    expect(allowsConnection(range, { from: pod({}), to: api, port: 3000 })).toBe(true);
    expect(allowsConnection(range, { from: pod({}), to: api, port: 3000, protocol: 'UDP' })).toBe(false);
  });

  it('reads a podSelector alone as the policy`s own namespace, and namespaceSelector {} as any namespace', () => {
    const sameNamespace = [ingressOnly([{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }])];
    expect(allowsConnection(sameNamespace, { from: pod({ role: 'client' }), to: api, port: 3000 })).toBe(
      true,
    );
    expect(
      allowsConnection(sameNamespace, { from: pod({ role: 'client' }, 'other'), to: api, port: 3000 }),
    ).toBe(false);
    const anyNamespace = [
      ingressOnly([{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'client' } } }] }]),
    ];
    expect(
      allowsConnection(anyNamespace, { from: pod({ role: 'client' }, 'other'), to: api, port: 3000 }),
    ).toBe(true);
  });

  it('matches ipBlocks against external addresses only, minus their exceptions', () => {
    const egress: INetworkPolicy[] = [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] } }] }],
        },
      },
    ];
    expect(
      allowsConnection(egress, { from: api, to: { kind: 'external', ip: '10.1.2.3' }, port: 5432 }),
    ).toBe(true);
    expect(
      allowsConnection(egress, { from: api, to: { kind: 'external', ip: '10.9.2.3' }, port: 5432 }),
    ).toBe(false);
    expect(allowsConnection(egress, { from: api, to: pod({}), port: 5432 })).toBe(false);
  });

  it('defaults policyTypes as the API server does', () => {
    expect(policyTypes(ingressOnly([]))).toEqual(['Ingress']);
    expect(
      policyTypes({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        spec: { podSelector: {}, egress: [] },
      }),
    ).toEqual(['Ingress', 'Egress']);
  });
});

describe('inCidr', () => {
  it('compares IPv4 prefixes', () => {
    expect(inCidr('172.16.5.4', '172.16.0.0/12')).toBe(true);
    expect(inCidr('172.32.0.1', '172.16.0.0/12')).toBe(false);
    expect(inCidr('8.8.8.8', '0.0.0.0/0')).toBe(true);
    expect(inCidr('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(inCidr('not-an-ip', '10.0.0.0/8')).toBe(false);
    expect(inCidr('10.0.0.1', '10.0.0.0/40')).toBe(false);
  });
});
