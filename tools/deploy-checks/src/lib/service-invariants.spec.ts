import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { brokerEndpointProblems, disruptionBudgetProblems, serviceProblems } from './service-invariants';
import {
  containerIn,
  deploymentIn,
  editedFixture,
  objectIn,
  platformFixture,
} from './testing/platform-fixture';

describe('serviceProblems', () => {
  it('holds when every Service selects pods that declare its target ports', () => {
    expect(serviceProblems(platformFixture())).toEqual([]);
  });

  it('reports a selector without pods, a target port nobody declares, a badly named port and gRPC without appProtocol', () => {
    const objects = editedFixture((all) => {
      const gateway = objectIn<IService>(all, 'Service', 'gateway-api').spec;
      if (gateway?.ports) {
        gateway.ports[0].targetPort = 'metrics';
        gateway.ports[1] = { name: 'grpc', port: 50051, targetPort: 'grpc' };
      }
      const worker = objectIn<IService>(all, 'Service', 'execution-worker').spec;
      if (worker) worker.selector = { 'app.kubernetes.io/name': 'worker' };
      const postgres = objectIn<IService>(all, 'Service', 'postgres').spec;
      if (postgres?.ports) postgres.ports[0].name = 'db';
    });
    expect(serviceProblems(objects)).toEqual([
      'Service/gateway-api: gRPC port grpc needs appProtocol: grpc',
      'Service/gateway-api: port http targets metrics, which Deployment/gateway-api does not declare',
      'Service/execution-worker: its selector matches no pods',
      'Service/postgres: port 5432 must be named for its protocol (http, grpc, postgres, redis ...)',
    ]);
  });

  it('accepts an ExternalName Service without a selector, but not without a name', () => {
    const external = (externalName?: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'postgres' },
      spec: {
        type: 'ExternalName',
        ...(externalName && { externalName }),
        ports: [{ name: 'postgres', port: 5432 }],
      },
    });
    expect(serviceProblems([external('db.example.internal')])).toEqual([]);
    expect(serviceProblems([external()])).toEqual(['Service/postgres: ExternalName without externalName']);
  });
});

describe('disruptionBudgetProblems', () => {
  it('holds with one budget per app that lets one pod go', () => {
    expect(disruptionBudgetProblems(platformFixture())).toEqual([]);
  });

  it('reports an app without a budget, and a budget selecting nothing', () => {
    const objects = editedFixture((all) => {
      const budget = objectIn<IPodDisruptionBudget>(all, 'PodDisruptionBudget', 'gateway-api').spec;
      if (budget) budget.selector = { matchLabels: { 'app.kubernetes.io/name': 'gateway' } };
    });
    expect(disruptionBudgetProblems(objects)).toEqual([
      'PodDisruptionBudget/gateway-api: selects the pods of 0 workloads, expected 1',
      'Deployment/gateway-api: covered by 0 PodDisruptionBudgets, expected 1',
    ]);
  });

  it('reports budgets that would block every node drain', () => {
    const objects = editedFixture((all) => {
      const gateway = objectIn<IPodDisruptionBudget>(all, 'PodDisruptionBudget', 'gateway-api').spec;
      if (gateway) {
        delete gateway.maxUnavailable;
        gateway.minAvailable = '100%';
      }
      const worker = objectIn<IPodDisruptionBudget>(all, 'PodDisruptionBudget', 'execution-worker').spec;
      if (worker) worker.maxUnavailable = 0;
    });
    expect(disruptionBudgetProblems(objects)).toEqual([
      'PodDisruptionBudget/gateway-api: allows no disruption of Deployment/gateway-api (3 replicas): node drains would hang',
      'PodDisruptionBudget/execution-worker: allows no disruption of Deployment/execution-worker (2 replicas): node drains would hang',
    ]);
    const fine = editedFixture((all) => {
      const gateway = objectIn<IPodDisruptionBudget>(all, 'PodDisruptionBudget', 'gateway-api').spec;
      if (gateway) {
        delete gateway.maxUnavailable;
        gateway.minAvailable = 2;
      }
    });
    expect(disruptionBudgetProblems(fine)).toEqual([]);
  });
});

describe('brokerEndpointProblems', () => {
  const withBrokers = (yaml: string) =>
    editedFixture((all) => {
      const configMap = objectIn<IConfigMap>(all, 'ConfigMap', 'brokers-config');
      configMap.data = { 'brokers.yaml': yaml };
    });

  it('holds when each broker host is a Service exposing its port on pods that declare it', () => {
    expect(brokerEndpointProblems(platformFixture())).toEqual([]);
    expect(
      brokerEndpointProblems(
        withBrokers('brokers:\n  - id: kis\n    grpc: { host: jts.example.com, port: 1 }\n'),
      ),
    ).toEqual([]);
  });

  it('reports a host that is no Service, a port the Service does not expose, and a port the pods do not declare', () => {
    const objects = withBrokers(
      'brokers:\n  - { id: a, grpc: { host: jts-simulatr, port: 50061 } }\n  - { id: b, grpc: { host: jts-simulator, port: 50062 } }\n',
    );
    expect(brokerEndpointProblems(objects)).toEqual([
      'brokers.yaml broker a (jts-simulatr:50061): no Service named jts-simulatr',
      'brokers.yaml broker b (jts-simulator:50062): Service jts-simulator does not expose port 50062',
    ]);
    const undeclared = editedFixture((all) => {
      const container = containerIn(all, 'jts-simulator');
      container.ports = container.ports?.filter((port) => port.name !== 'grpc-kis');
    });
    expect(brokerEndpointProblems(undeclared)).toEqual([
      'brokers.yaml broker kis (jts-simulator:50061): Deployment/jts-simulator does not declare port grpc-kis',
    ]);
    expect(deploymentIn(undeclared, 'jts-simulator')).toBeDefined();
  });
});
