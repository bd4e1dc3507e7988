import { RestRateEnforcer } from './rest-rate-enforcer';

describe('RestRateEnforcer', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('admits the raw preset limit in a sliding window and refuses the next request, counting the violation', () => {
    const enforcer = new RestRateEnforcer('kis-paper', [], clock);

    expect(enforcer.admit('getQuote')).toBeNull();
    now += 400;
    expect(enforcer.admit('placeOrder')).toBeNull();
    now += 100;
    const refused = enforcer.admit('getQuote');

    expect(refused).toEqual({ ruleId: 'requests', limit: 2, windowMs: 1_000, retryAfterMs: 500 });
    expect(enforcer.violationCounts()).toEqual({ requests: 1 });
    // A refused request does not count: once the first leaves the window, one more fits.
    now += 500;
    expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.admit('getQuote')).not.toBeNull();
    expect(enforcer.violationCounts()).toEqual({ requests: 2 });
  });

  it('counts a token issuance against the token rule and the request rule', () => {
    const enforcer = new RestRateEnforcer('kis-real', [], clock);

    expect(enforcer.admit('issueToken')).toBeNull();
    now += 30_000;
    expect(enforcer.admit('issueToken')).toMatchObject({ ruleId: 'token', limit: 1, windowMs: 60_000, retryAfterMs: 30_000 });
    expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.violationCounts()).toEqual({ token: 1 });
  });

  it('applies rule overrides and lists the rules it enforces', () => {
    const enforcer = new RestRateEnforcer('kiwoom', [{ id: 'requests', limit: 1, windowMs: 10_000 }], clock);

    expect(enforcer.listRules()).toEqual([
      { id: 'requests', limit: 1, windowMs: 10_000 },
      { id: 'token', limit: 1, windowMs: 1_000 },
    ]);
    expect(enforcer.admit('getCandles')).toBeNull();
    now += 9_999;
    expect(enforcer.admit('getCandles')).not.toBeNull();
  });

  it('enforces nothing for the preset none', () => {
    const enforcer = new RestRateEnforcer('none', [], clock);

    for (let i = 0; i < 100; i++) expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.listRules()).toEqual([]);
  });

  it('resets the counts, and the windows when asked', () => {
    const enforcer = new RestRateEnforcer('kis-paper', [], clock);
    enforcer.admit('getQuote');
    enforcer.admit('getQuote');
    enforcer.admit('getQuote');

    enforcer.reset(false);
    expect(enforcer.violationCounts()).toEqual({});
    expect(enforcer.admit('getQuote')).not.toBeNull();

    enforcer.reset(true);
    expect(enforcer.admit('getQuote')).toBeNull();
  });
});
