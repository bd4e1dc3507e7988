import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { findContainerPort, selectorMatches } from './kubernetes-objects';

/** One end of a connection, as NetworkPolicies see it. */
export type NetworkEndpoint =
  | {
      kind: 'pod';
      labels: Record<string, string>;
      /** Labels of the pod's namespace (kubernetes.io/metadata.name is always one of them). */
      namespaceLabels: Record<string, string>;
      /** True for a pod of the namespace the policies are in (only those are isolated by them). */
      governed: boolean;
      containers: readonly IContainer[];
    }
  | { kind: 'external'; ip: string };

export interface Connection {
  from: NetworkEndpoint;
  to: NetworkEndpoint;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/**
 * Whether the policies of one namespace let a connection through, as the NetworkPolicy API defines it: a governed
 * pod that some policy selects for a direction is isolated in that direction, and then needs a rule of one of those
 * policies whose peer and port match. Both the sender's egress and the receiver's ingress must allow it.
 */
export function allowsConnection(policies: readonly INetworkPolicy[], connection: Connection): boolean {
  const protocol = connection.protocol ?? 'TCP';
  return (
    directionAllows(policies, 'Egress', connection.from, connection.to, connection.port, protocol) &&
    directionAllows(policies, 'Ingress', connection.to, connection.from, connection.port, protocol)
  );
}

function directionAllows(
  policies: readonly INetworkPolicy[],
  direction: 'Ingress' | 'Egress',
  subject: NetworkEndpoint,
  peer: NetworkEndpoint,
  port: number,
  protocol: string,
): boolean {
  if (subject.kind !== 'pod' || !subject.governed) return true;
  const applying = policies.filter(
    (policy) =>
      policyTypes(policy).includes(direction) &&
      selectorMatches(policy.spec?.podSelector ?? {}, subject.labels),
  );
  if (applying.length === 0) return true;
  // The named ports of a rule are those of the receiving pod.
  const receiver = direction === 'Ingress' ? subject : peer;
  return applying.some((policy) =>
    (direction === 'Ingress'
      ? (policy.spec?.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }))
      : (policy.spec?.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }))
    ).some(
      (rule) => peersMatch(rule.peers, peer, subject) && portsMatch(rule.ports, port, protocol, receiver),
    ),
  );
}

/** policyTypes as the API server defaults it: Ingress, plus Egress when the policy has egress rules. */
export function policyTypes(policy: INetworkPolicy): string[] {
  return policy.spec?.policyTypes ?? ['Ingress', ...(policy.spec?.egress ? ['Egress'] : [])];
}

function peersMatch(
  peers: INetworkPolicyPeer[] | undefined,
  peer: NetworkEndpoint,
  subject: NetworkEndpoint,
): boolean {
  if (peers === undefined || peers.length === 0) return true;
  return peers.some((candidate) => peerMatches(candidate, peer, subject));
}

function peerMatches(rule: INetworkPolicyPeer, peer: NetworkEndpoint, subject: NetworkEndpoint): boolean {
  if (rule.ipBlock) {
    return (
      peer.kind === 'external' &&
      inCidr(peer.ip, rule.ipBlock.cidr) &&
      !(rule.ipBlock.except ?? []).some((cidr) => inCidr(peer.ip, cidr))
    );
  }
  if (peer.kind !== 'pod' || subject.kind !== 'pod') return false;
  if (rule.namespaceSelector === undefined) {
    // A podSelector alone means pods of the policy's own namespace.
    return peer.governed && selectorMatches(rule.podSelector ?? {}, peer.labels);
  }
  return (
    selectorMatches(rule.namespaceSelector, peer.namespaceLabels) &&
    selectorMatches(rule.podSelector ?? {}, peer.labels)
  );
}

function portsMatch(
  ports: INetworkPolicyPort[] | undefined,
  port: number,
  protocol: string,
  receiver: NetworkEndpoint,
): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string') {
      return (
        receiver.kind === 'pod' && findContainerPort(receiver.containers, rule.port)?.containerPort === port
      );
    }
    return port >= rule.port && port <= (rule.endPort ?? rule.port);
  });
}

/** IPv4 only: the platform's address ranges are IPv4. */
export function inCidr(ip: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const toNumber = (address: string): number | undefined => {
    const parts = address.split('.').map(Number);
    if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
      return undefined;
    return parts.reduce((total, part) => total * 256 + part, 0);
  };
  const address = toNumber(ip);
  const base = toNumber(network);
  const length = Number(bits ?? 32);
  if (address === undefined || base === undefined || !(length >= 0 && length <= 32)) return false;
  const size = 2 ** (32 - length);
  return Math.floor(address / size) === Math.floor(base / size);
}
