import {
  containersOf,
  describeObject,
  findContainerPort,
  findObject,
  selectorMatches,
  workloadsOf,
} from './kubernetes-objects';
import { platformFixture } from './testing/platform-fixture';

describe('selectorMatches', () => {
  const labels = { app: 'gateway', tier: 'api' };

  it('reads matchLabels and plain Service selectors alike', () => {
    expect(selectorMatches({ matchLabels: { app: 'gateway' } }, labels)).toBe(true);
    expect(selectorMatches({ app: 'gateway' }, labels)).toBe(true);
    expect(selectorMatches({ app: 'worker' }, labels)).toBe(false);
  });

  it('selects everything with an empty selector and nothing without one', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches(undefined, labels)).toBe(false);
  });

  it('applies In, NotIn, Exists and DoesNotExist', () => {
    const expression = (operator: string, values?: string[]) => ({
      matchExpressions: [{ key: 'app', operator, ...(values && { values }) }],
    });
    expect(selectorMatches(expression('In', ['gateway', 'worker']), labels)).toBe(true);
    expect(selectorMatches(expression('In', ['worker']), labels)).toBe(false);
    expect(selectorMatches(expression('NotIn', ['gateway']), labels)).toBe(false);
    expect(selectorMatches(expression('NotIn', ['worker']), labels)).toBe(true);
    expect(selectorMatches(expression('Exists'), labels)).toBe(true);
    expect(selectorMatches(expression('DoesNotExist'), labels)).toBe(false);
    expect(selectorMatches(expression('DoesNotExist'), {})).toBe(true);
    expect(selectorMatches(expression('Gt', ['1']), labels)).toBe(false);
  });
});

describe('workloads and ports', () => {
  it('lists Deployments with their pod spec and replicas', () => {
    const workloads = workloadsOf(platformFixture());
    expect(workloads.map((workload) => [workload.name, workload.replicas])).toEqual([
      ['gateway-api', 3],
      ['execution-worker', 2],
      ['jts-simulator', 1],
      ['postgres', 1],
    ]);
    expect(describeObject(workloads[0].object)).toBe('Deployment/gateway-api');
  });

  it('finds container ports by name or number', () => {
    const containers = containersOf(workloadsOf(platformFixture())[0].podSpec);
    expect(findContainerPort(containers, 'grpc')?.containerPort).toBe(50051);
    expect(findContainerPort(containers, 3000)?.name).toBe('http');
    expect(findContainerPort(containers, 'metrics')).toBeUndefined();
    expect(findObject(platformFixture(), 'Service', 'missing')).toBeUndefined();
  });
});
