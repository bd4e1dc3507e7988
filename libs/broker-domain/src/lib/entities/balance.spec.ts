import { Decimal } from 'decimal.js';
import { Currency } from '../values/money';
import { Balance } from './balance';

describe('Balance', () => {
  it('defaults to KRW and renders decimals as strings', () => {
    const balance = new Balance({
      accountId: 'MOCK-001',
      totalEquity: new Decimal('100250000'),
      cashBalance: new Decimal('99000000'),
      buyingPower: '99000000',
    });
    expect(balance.currency).toBe('KRW');
    expect(balance.toJSON()).toEqual({
      accountId: 'MOCK-001',
      totalEquity: '100250000',
      cashBalance: '99000000',
      buyingPower: '99000000',
      currency: 'KRW',
    });
  });

  it('allows a negative cash balance (an unsettled margin shortfall)', () => {
    const balance = new Balance({ accountId: 'A', totalEquity: '0', cashBalance: '-1000', buyingPower: '0' });
    expect(balance.cashBalance.toFixed()).toBe('-1000');
  });

  it('rejects malformed fields by name', () => {
    const base = { accountId: 'A', totalEquity: '1', cashBalance: '1', buyingPower: '1' };
    expect(() => new Balance({ ...base, accountId: '' })).toThrow(/accountId/);
    expect(() => new Balance({ ...base, totalEquity: 'x' })).toThrow(/totalEquity/);
    expect(() => new Balance({ ...base, buyingPower: 'Infinity' })).toThrow(/buyingPower/);
    expect(() => new Balance({ ...base, currency: 'USD' as Currency })).toThrow(/currency/);
  });
});
