import { OrderStatus } from '@qts/broker-domain';
import type { ExecutionReport } from './execution-report';
import { ExecutionReportBus } from './execution-report-bus';

const report: ExecutionReport = {
  sequence: 1,
  intentId: 'intent-1',
  strategyId: 's',
  brokerId: 'kis',
  status: OrderStatus.ACCEPTED,
  filledQuantity: 0,
  message: 'accepted',
  timestamp: new Date('2024-01-02T00:00:00Z'),
};

describe('ExecutionReportBus', () => {
  it('delivers every report to every subscriber until it unsubscribes', () => {
    const bus = new ExecutionReportBus();
    const a: number[] = [];
    const b: number[] = [];
    const stopA = bus.subscribe((r) => a.push(r.sequence));
    bus.subscribe((r) => b.push(r.sequence));

    bus.publish(report);
    stopA();
    bus.publish({ ...report, sequence: 2 });

    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
    expect(bus.subscriberCount).toBe(1);
  });

  it('keeps delivering to the others when one subscriber throws', () => {
    const bus = new ExecutionReportBus();
    const received: number[] = [];
    bus.subscribe(() => {
      throw new Error('stream closed');
    });
    bus.subscribe((r) => received.push(r.sequence));

    expect(() => bus.publish(report)).not.toThrow();
    expect(received).toEqual([1]);
  });
});
