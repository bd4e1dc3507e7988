import { status } from '@grpc/grpc-js';
import { BrokerFaults } from './broker-faults';
import { DeterministicRandom, seedFor } from './deterministic-random';

describe('BrokerFaults', () => {
  it('fails exactly the next N matching calls, leaving other RPCs alone', () => {
    const faults = new BrokerFaults(42, 'kis');
    faults.setFailNext({ count: 2, failure: { code: status.UNAVAILABLE }, rpcs: ['PlaceOrder'] });

    expect(faults.failureFor('GetQuote')).toBeNull();
    expect(faults.failureFor('PlaceOrder')).toEqual({ code: status.UNAVAILABLE });
    expect(faults.snapshot().failNext?.count).toBe(1);
    expect(faults.failureFor('PlaceOrder')).toEqual({ code: status.UNAVAILABLE });
    expect(faults.failureFor('PlaceOrder')).toBeNull();
    expect(faults.snapshot().failNext).toBeUndefined();
  });

  it('consumes fail-next before drawing for the error rate', () => {
    const faults = new BrokerFaults(42, 'kis');
    faults.setErrorRate({ rate: 1, failure: { code: status.INTERNAL }, rpcs: [] });
    faults.setFailNext({ count: 1, failure: { code: status.UNAVAILABLE, brokerCode: 'X' }, rpcs: [] });

    expect(faults.failureFor('GetQuote')).toEqual({ code: status.UNAVAILABLE, brokerCode: 'X' });
    expect(faults.failureFor('GetQuote')).toEqual({ code: status.INTERNAL });
  });

  it('draws the same failures for the same seed and broker, restarting when the rate is set again', () => {
    const pattern = (faults: BrokerFaults): string =>
      Array.from({ length: 64 }, () => (faults.failureFor('GetQuote') === null ? '.' : 'x')).join('');
    const first = new BrokerFaults(42, 'kis');
    const twin = new BrokerFaults(42, 'kis');
    const other = new BrokerFaults(42, 'creon');
    for (const faults of [first, twin, other]) {
      faults.setErrorRate({ rate: 0.3, failure: { code: status.UNAVAILABLE }, rpcs: [] });
    }

    const drawn = pattern(first);

    expect(pattern(twin)).toBe(drawn);
    expect(pattern(other)).not.toBe(drawn);
    first.setErrorRate({ rate: 0.3, failure: { code: status.UNAVAILABLE }, rpcs: [] });
    expect(pattern(first)).toBe(drawn);
  });

  it('adds latency only to the RPCs selected', () => {
    const faults = new BrokerFaults(1, 'kis');
    faults.setLatency({ latencyMs: 250, rpcs: ['PlaceOrder', 'CancelOrder'] });

    expect(faults.latencyFor('PlaceOrder')).toBe(250);
    expect(faults.latencyFor('GetQuote')).toBe(0);
    faults.setLatency({ latencyMs: 0, rpcs: [] });
    expect(faults.latencyFor('PlaceOrder')).toBe(0);
  });

  it('marks the selected health services, or all of them, as not serving', () => {
    const faults = new BrokerFaults(1, 'kis');
    faults.setNotServing({ services: ['jts.v1.TradingService'] });

    expect(faults.isNotServing('jts.v1.TradingService')).toBe(true);
    expect(faults.isNotServing('')).toBe(false);
    faults.setNotServing({ services: [] });
    expect(faults.isNotServing('')).toBe(true);
    faults.setNotServing(undefined);
    expect(faults.isNotServing('')).toBe(false);
  });

  it('clears every kind at once and reports copies that cannot change its state', () => {
    const faults = new BrokerFaults(1, 'kis');
    faults.setLatency({ latencyMs: 5, rpcs: [] });
    faults.setFailNext({ count: 1, failure: { code: status.UNAVAILABLE }, rpcs: [] });
    const snapshot = faults.snapshot();
    (snapshot.latency as { latencyMs: number }).latencyMs = 999;

    expect(faults.latencyFor('GetQuote')).toBe(5);
    faults.clear();
    expect(faults.snapshot()).toEqual({});
  });
});

describe('DeterministicRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1), roughly uniform', () => {
    const a = new DeterministicRandom(seedFor(42, 'kis'));
    const b = new DeterministicRandom(seedFor(42, 'kis'));
    const draws = Array.from({ length: 10_000 }, () => a.next());

    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(draws);
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('derives different seeds for different brokers and simulator seeds', () => {
    expect(seedFor(42, 'kis')).not.toBe(seedFor(42, 'creon'));
    expect(seedFor(42, 'kis')).not.toBe(seedFor(43, 'kis'));
  });
});
