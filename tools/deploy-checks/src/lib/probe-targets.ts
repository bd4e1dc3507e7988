import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { findContainerPort } from './kubernetes-objects';

export const PROBE_KINDS = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The declared container port a probe calls. */
export interface ProbePort {
  containerPort: number;
  name?: string;
}

/** What the kubelet does for one probe. */
export type ProbeTarget = { kind: ProbeKind; probe: IProbe } & (
  | { type: 'http'; path: string; scheme: string; port: ProbePort }
  | { type: 'grpc'; service: string; port: ProbePort }
  | { type: 'tcp'; port: ProbePort }
  | { type: 'exec'; command: readonly string[] }
);

/**
 * Reads the probes of a container: HTTP path and port, gRPC port and health service name ('' when unset: the
 * server as a whole), TCP port, exec command. Every port must be one the container declares.
 */
export function probeTargets(container: IContainer): { targets: ProbeTarget[]; problems: string[] } {
  const targets: ProbeTarget[] = [];
  const problems: string[] = [];
  for (const kind of PROBE_KINDS) {
    const probe = container[kind];
    if (probe === undefined) continue;
    const port = (reference: number | string): ProbePort | undefined => {
      const declared = findContainerPort([container], reference);
      if (declared === undefined) {
        problems.push(
          `container ${container.name}: ${kind} calls port ${reference}, which the container does not declare`,
        );
        return undefined;
      }
      return {
        containerPort: declared.containerPort,
        ...(declared.name !== undefined && { name: declared.name }),
      };
    };
    if (probe.httpGet) {
      const resolved = port(probe.httpGet.port);
      if (resolved)
        targets.push({
          kind,
          probe,
          type: 'http',
          path: probe.httpGet.path ?? '/',
          scheme: probe.httpGet.scheme ?? 'HTTP',
          port: resolved,
        });
    } else if (probe.grpc) {
      const resolved = port(probe.grpc.port);
      if (resolved)
        targets.push({ kind, probe, type: 'grpc', service: probe.grpc.service ?? '', port: resolved });
    } else if (probe.tcpSocket) {
      const resolved = port(probe.tcpSocket.port);
      if (resolved) targets.push({ kind, probe, type: 'tcp', port: resolved });
    } else if (probe.exec) {
      targets.push({ kind, probe, type: 'exec', command: probe.exec.command ?? [] });
    } else {
      problems.push(`container ${container.name}: ${kind} has no handler (httpGet, grpc, tcpSocket or exec)`);
    }
  }
  return { targets, problems };
}

/** One line naming a probe, for test titles and messages: `readinessProbe GET /health/ready on http (3000)`. */
export function describeProbe(target: ProbeTarget): string {
  const on = (port: ProbePort): string =>
    port.name ? `${port.name} (${port.containerPort})` : String(port.containerPort);
  switch (target.type) {
    case 'http':
      return `${target.kind} GET ${target.path} on ${on(target.port)}`;
    case 'grpc':
      return `${target.kind} grpc.health.v1 Check('${target.service}') on ${on(target.port)}`;
    case 'tcp':
      return `${target.kind} TCP connect on ${on(target.port)}`;
    case 'exec':
      return `${target.kind} exec ${target.command.join(' ')}`;
  }
}
