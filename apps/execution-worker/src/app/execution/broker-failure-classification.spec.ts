import { FailSafeCode } from '@qts/broker-domain';
import { classifyBrokerOutcome } from './broker-failure-classification';

describe('classifyBrokerOutcome', () => {
  const refused = (failSafeCode?: FailSafeCode) => ({
    intentId: 'i',
    accepted: false,
    broker: 'kis',
    message: 'm',
    failSafeCode,
  });

  it('calls an accepted live answer a success and a dry run neutral', () => {
    expect(classifyBrokerOutcome({ intentId: 'i', accepted: true, broker: 'kis', message: 'ok' })).toBe(
      'success',
    );
    expect(
      classifyBrokerOutcome({ intentId: 'i', accepted: true, broker: 'kis', message: 'ok', dryRun: true }),
    ).toBe('neutral');
    expect(classifyBrokerOutcome({ ...refused(FailSafeCode.FS044), dryRun: true })).toBe('neutral');
  });

  it.each([
    [FailSafeCode.FS040, 'neutral'],
    [FailSafeCode.FS041, 'neutral'],
    [FailSafeCode.FS042, 'failure'],
    [FailSafeCode.FS043, 'failure'],
    [FailSafeCode.FS044, 'failure'],
    [FailSafeCode.FS045, 'failure'],
    [FailSafeCode.FS046, 'neutral'],
    [FailSafeCode.FS047, 'neutral'],
    [FailSafeCode.FS048, 'neutral'],
    [FailSafeCode.FS049, 'failure'],
    [FailSafeCode.FS050, 'neutral'],
    [undefined, 'failure'],
  ])('classifies a refusal with %s as %s', (code, outcome) => {
    expect(classifyBrokerOutcome(refused(code))).toBe(outcome);
  });

  it('calls a refusal made before sending neutral, whatever its code: the broker was never involved', () => {
    expect(classifyBrokerOutcome({ ...refused(FailSafeCode.FS043), refusedBeforeSending: true })).toBe('neutral');
    expect(classifyBrokerOutcome({ ...refused(FailSafeCode.FS043), refusedBeforeSending: false })).toBe('failure');
  });
});
