import { Decimal } from 'decimal.js';
import { Position, PositionProps } from './position';

describe('Position', () => {
  const props: PositionProps = {
    accountId: 'MOCK-001',
    symbol: '005930',
    symbolName: '삼성전자',
    quantity: 10,
    avgPrice: new Decimal('70000'),
    currentPrice: new Decimal('77000'),
  };

  it('computes market value, unrealized P&L and P&L percent in decimals', () => {
    const position = new Position(props);
    expect(position.marketValue.toFixed()).toBe('770000');
    expect(position.unrealizedPnl.toFixed()).toBe('70000');
    expect(position.unrealizedPnlPct.toFixed()).toBe('10');
  });

  it('reports losses as negative values', () => {
    const position = new Position({ ...props, currentPrice: new Decimal('63000') });
    expect(position.unrealizedPnl.toFixed()).toBe('-70000');
    expect(position.unrealizedPnlPct.toFixed()).toBe('-10');
  });

  it('reports 0 % when the average price is 0 instead of dividing by zero', () => {
    const position = new Position({ ...props, avgPrice: new Decimal(0) });
    expect(position.unrealizedPnlPct.toFixed()).toBe('0');
    expect(position.unrealizedPnl.toFixed()).toBe('770000');
  });

  it('keeps fractional average prices exact', () => {
    const position = new Position({ ...props, quantity: 3, avgPrice: '70033.3333', currentPrice: '70100' });
    expect(position.unrealizedPnl.toFixed()).toBe('200.0001');
  });

  it('renders every amount as a string', () => {
    expect(new Position(props).toJSON()).toEqual({
      accountId: 'MOCK-001',
      symbol: '005930',
      symbolName: '삼성전자',
      quantity: 10,
      avgPrice: '70000',
      currentPrice: '77000',
      marketValue: '770000',
      unrealizedPnl: '70000',
      unrealizedPnlPct: '10',
    });
  });

  it('rejects malformed fields by name', () => {
    expect(() => new Position({ ...props, quantity: -1 })).toThrow(/quantity/);
    expect(() => new Position({ ...props, quantity: 1.5 })).toThrow(/quantity/);
    expect(() => new Position({ ...props, avgPrice: '-1' })).toThrow(/avgPrice/);
    expect(() => new Position({ ...props, currentPrice: 'abc' })).toThrow(/currentPrice/);
    expect(() => new Position({ ...props, symbolName: '' })).toThrow(/symbolName/);
    expect(() => new Position({ ...props, symbol: 'X' })).toThrow(/symbol/);
  });
});
