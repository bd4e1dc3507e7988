import { RestFaults } from './rest-faults';

describe('RestFaults', () => {
  it('fails the next N requests of the selected apis, then none', () => {
    const faults = new RestFaults(1);
    faults.setFailNext(2, { status: 500, brokerCode: 'EGW00201' }, ['FHKST01010100']);

    expect(faults.failureFor('TTTC0012U')).toBeNull();
    expect(faults.failureFor('FHKST01010100')).toEqual({ status: 500, brokerCode: 'EGW00201' });
    expect(faults.failureFor('FHKST01010100')).toEqual({ status: 500, brokerCode: 'EGW00201' });
    expect(faults.failureFor('FHKST01010100')).toBeNull();
    expect(faults.snapshot()).toEqual({});
  });

  it('draws the error rate from a seeded generator, so a seed repeats its failures', () => {
    const draws = (seed: number) => {
      const faults = new RestFaults(seed);
      faults.setErrorRate(0.5, { status: 503 });
      return Array.from({ length: 40 }, () => faults.failureFor('ka10001') !== null);
    };

    const first = draws(7);
    expect(draws(7)).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(5);
    expect(first.filter(Boolean).length).toBeLessThan(35);
    expect(draws(8)).not.toEqual(first);
  });

  it('adds latency only to the selected apis, and 0 removes it', () => {
    const faults = new RestFaults(1);
    faults.setLatency(250, ['token']);

    expect(faults.latencyFor('token')).toBe(250);
    expect(faults.latencyFor('kt10000')).toBe(0);
    faults.setLatency(0);
    expect(faults.latencyFor('token')).toBe(0);
  });

  it('holds stalled requests until the stall is cleared, then releases them all', async () => {
    const faults = new RestFaults(1);
    faults.setStall(['kt10000']);
    const released: string[] = [];

    const held = [faults.passStall('kt10000').then(() => released.push('a')), faults.passStall('kt10000').then(() => released.push('b'))];
    await faults.passStall('ka10001');
    await Promise.resolve();

    expect(faults.stalled).toBe(2);
    expect(released).toEqual([]);
    expect(faults.snapshot()).toEqual({ stall: { apis: ['kt10000'] } });

    faults.clear();
    await Promise.all(held);
    expect(released.sort()).toEqual(['a', 'b']);
    expect(faults.stalled).toBe(0);
  });

  it('reports what is injected', () => {
    const faults = new RestFaults(1);
    faults.setLatency(10);
    faults.setErrorRate(0.1, { status: 500 }, ['kt10000']);
    faults.setFailNext(1, { status: 502 });

    expect(faults.snapshot()).toEqual({
      latency: { latencyMs: 10, apis: [] },
      errorRate: { rate: 0.1, failure: { status: 500 }, apis: ['kt10000'] },
      failNext: { count: 1, failure: { status: 502 }, apis: [] },
    });
    faults.clear();
    expect(faults.snapshot()).toEqual({});
  });
});
