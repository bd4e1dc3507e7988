import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';
import { Quote, QuoteProps } from './quote';

describe('Quote', () => {
  const props: QuoteProps = {
    symbol: '005930',
    price: new Decimal('71000'),
    open: new Decimal('70500'),
    high: new Decimal('71200'),
    low: new Decimal('70400'),
    previousClose: new Decimal('70000'),
    change: new Decimal('1000'),
    changeRate: new Decimal('1.43'),
    bid: new Decimal('70900'),
    ask: new Decimal('71000'),
    bidSize: 1200,
    askSize: 800,
    volume: 5_000_000,
    timestamp: new Date('2024-01-02T01:00:00Z'),
  };

  it('renders decimals as strings and the time as ISO UTC', () => {
    expect(new Quote(props).toJSON()).toEqual({
      symbol: '005930',
      price: '71000',
      open: '70500',
      high: '71200',
      low: '70400',
      previousClose: '70000',
      change: '1000',
      changeRate: '1.43',
      bid: '70900',
      ask: '71000',
      bidSize: 1200,
      askSize: 800,
      volume: 5000000,
      timestamp: '2024-01-02T01:00:00.000Z',
    });
  });

  it('allows a falling price, absent day statistics and an empty book side', () => {
    const quote = new Quote({
      ...props,
      open: undefined,
      high: undefined,
      low: undefined,
      previousClose: undefined,
      change: '-500',
      changeRate: '-0.7',
      bid: '0',
    });
    expect(quote.change.isNegative()).toBe(true);
    expect(quote.toJSON()).not.toHaveProperty('open');
    expect(quote.bid.isZero()).toBe(true);
  });

  it.each([
    ['price', { price: '0' }],
    ['open', { open: '-1' }],
    ['bid', { bid: '-1' }],
    ['ask', { ask: 'x' }],
    ['bidSize', { bidSize: -1 }],
    ['volume', { volume: 0.5 }],
    ['changeRate', { changeRate: 'NaN' }],
    ['timestamp', { timestamp: new Date(Number.NaN) }],
    ['symbol', { symbol: '' }],
  ])('rejects a bad %s', (field, override) => {
    try {
      new Quote({ ...props, ...override } as QuoteProps);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });
});
