import { InvalidArgumentError } from '@qts/broker-domain';
import { ConsecutiveFailureGuard } from './consecutive-failure-guard';

describe('ConsecutiveFailureGuard', () => {
  it('trips on the third consecutive failure by default', () => {
    const guard = new ConsecutiveFailureGuard();
    guard.recordFailure('one');
    guard.recordFailure('two');
    expect(guard.tripped).toBe(false);

    guard.recordFailure('three');

    expect(guard.tripped).toBe(true);
    expect(guard.consecutiveFailures).toBe(3);
    expect(guard.lastFailure).toBe('three');
  });

  it('starts counting again after a success', () => {
    const guard = new ConsecutiveFailureGuard(3);
    guard.recordFailure();
    guard.recordFailure();
    guard.recordSuccess();
    guard.recordFailure();
    guard.recordFailure();

    expect(guard.tripped).toBe(false);
    expect(guard.consecutiveFailures).toBe(2);
  });

  it('stays tripped when a late success arrives; only reset() clears it', () => {
    const guard = new ConsecutiveFailureGuard(1);
    guard.recordFailure('boom');
    guard.recordSuccess();
    expect(guard.tripped).toBe(true);

    guard.reset();

    expect(guard.tripped).toBe(false);
    expect(guard.consecutiveFailures).toBe(0);
    expect(guard.lastFailure).toBeUndefined();
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses %p as the failure limit', (limit) => {
    expect(() => new ConsecutiveFailureGuard(limit)).toThrow(InvalidArgumentError);
  });
});
