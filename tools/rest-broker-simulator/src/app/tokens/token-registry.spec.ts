import { appKeyLabel, TokenRegistry } from './token-registry';

describe('TokenRegistry', () => {
  let now = 0;
  const registry = () => new TokenRegistry(60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('issues a distinct token bound to its app key, valid for its lifetime', () => {
    const tokens = registry();
    const first = tokens.issue('PSkeyA');
    const second = tokens.issue('PSkeyA');

    expect(first.token).not.toBe(second.token);
    expect(first.expiresAt).toBe(1_060_000);
    expect(tokens.check(first.token, 'PSkeyA')).toEqual({ result: 'valid', appKey: 'PSkeyA' });
    expect(tokens.check(first.token, 'PSkeyB')).toEqual({ result: 'other-app-key' });
    expect(tokens.check('sim-never-issued')).toEqual({ result: 'unknown' });
    now += 59_999;
    expect(tokens.check(first.token).result).toBe('valid');
    now += 1;
    expect(tokens.check(first.token)).toEqual({ result: 'expired', appKey: 'PSkeyA' });
  });

  it('expires every live token at once', () => {
    const tokens = registry();
    const a = tokens.issue('PSkeyA');
    const b = tokens.issue('PSkeyB');

    expect(tokens.expireAll()).toBe(2);
    expect(tokens.expireAll()).toBe(0);
    expect(tokens.check(a.token).result).toBe('expired');
    expect(tokens.check(b.token).result).toBe('expired');
  });

  it('counts issuances per app key under a hash label, never the key itself', () => {
    const tokens = registry();
    tokens.issue('PSsecretish-key');
    tokens.issue('PSsecretish-key');
    tokens.issue('PSother');

    const counts = tokens.issuedCounts();
    expect(counts).toEqual({ [appKeyLabel('PSsecretish-key')]: 2, [appKeyLabel('PSother')]: 1 });
    expect(JSON.stringify(counts)).not.toContain('PSsecretish-key');
    expect(appKeyLabel('PSother')).toMatch(/^key-[0-9a-f]{12}$/);
    expect(tokens.totalIssued()).toBe(3);
    tokens.resetCounts();
    expect(tokens.totalIssued()).toBe(0);
  });
});
