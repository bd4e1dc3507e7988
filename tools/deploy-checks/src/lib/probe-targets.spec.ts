import { describeProbe, probeTargets } from './probe-targets';

describe('probeTargets', () => {
  const ports = [
    { name: 'http', containerPort: 3000 },
    { name: 'grpc', containerPort: 50051 },
  ];

  it('resolves each probe to its declared port, with the health service name', () => {
    const { targets, problems } = probeTargets({
      name: 'app',
      ports,
      startupProbe: { grpc: { port: 50051 } },
      livenessProbe: { httpGet: { path: '/health/live', port: 'http' } },
      readinessProbe: { grpc: { port: 50051, service: 'qts.execution.v1.ExecutionService' } },
    });
    expect(problems).toEqual([]);
    expect(targets.map(describeProbe)).toEqual([
      "startupProbe grpc.health.v1 Check('') on grpc (50051)",
      'livenessProbe GET /health/live on http (3000)',
      "readinessProbe grpc.health.v1 Check('qts.execution.v1.ExecutionService') on grpc (50051)",
    ]);
  });

  it('describes TCP and exec probes and reports ports the container does not declare', () => {
    const { targets, problems } = probeTargets({
      name: 'db',
      ports: [{ containerPort: 5432 }],
      startupProbe: { exec: { command: ['pg_isready', '-q'] } },
      livenessProbe: { tcpSocket: { port: 5432 } },
      readinessProbe: { httpGet: { path: '/ready', port: 'metrics' } },
    });
    expect(targets.map(describeProbe)).toEqual([
      'startupProbe exec pg_isready -q',
      'livenessProbe TCP connect on 5432',
    ]);
    expect(problems).toEqual([
      'container db: readinessProbe calls port metrics, which the container does not declare',
    ]);
  });

  it('reports a probe without a handler', () => {
    expect(probeTargets({ name: 'app', livenessProbe: { periodSeconds: 5 } }).problems).toEqual([
      'container app: livenessProbe has no handler (httpGet, grpc, tcpSocket or exec)',
    ]);
  });
});
