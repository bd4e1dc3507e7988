import { Decimal } from '@qts/broker-domain';
import { countField } from '../http/json-fields';
import { readBestPrices, readPriceSnapshot } from './price-snapshot';
import { requiredCount } from './required-answer-fields';

const FIELDS = { price: 'p', change: 'c', changeRate: 'r', open: 'o', high: 'h', low: 'l', previousClose: 'b', volume: 'v' };

describe('readPriceSnapshot', () => {
  it('reads the price, signed changes and the volume, leaving out prices written as zero', () => {
    expect(readPriceSnapshot({ p: '-70100', c: '-200', r: '-0.28', o: '0', h: '+70900', l: '', b: '70300', v: '12' }, FIELDS, requiredCount)).toEqual({
      price: new Decimal(70100),
      change: new Decimal(-200),
      changeRate: new Decimal('-0.28'),
      open: undefined,
      high: new Decimal(70900),
      low: undefined,
      previousClose: new Decimal(70300),
      volume: 12,
    });
  });

  it('is undefined without a price, and names an unreadable change with the given noun', () => {
    expect(readPriceSnapshot({ p: '0', c: '1', r: '1', v: '1' }, FIELDS, requiredCount)).toBeUndefined();
    expect(() => readPriceSnapshot({ p: '1', c: 'x', r: '1', v: '1' }, FIELDS, requiredCount)).toThrow('c is not a number');
    expect(() => readPriceSnapshot({ p: '1', c: 'x', r: '1', v: '1' }, FIELDS, requiredCount, 'an amount')).toThrow('c is not an amount');
    expect(() => readPriceSnapshot({ p: '1', c: '1', r: '1', v: '-1' }, FIELDS, requiredCount)).toThrow('v is not a count');
  });
});

describe('readBestPrices', () => {
  const fields = { bid: 'b', ask: 'a', bidSize: 'bs', askSize: 'as' };

  it('reads the best prices and sizes, zero where a side is missing', () => {
    expect(readBestPrices({ b: '-70100', bs: '320' }, fields)).toEqual({
      bid: new Decimal(70100),
      ask: new Decimal(0),
      bidSize: 320,
      askSize: 0,
    });
  });

  it('reads sizes with the given reader', () => {
    const sizes: unknown[] = [];
    const readSize = (value: unknown) => {
      sizes.push(value);
      return countField(value);
    };
    readBestPrices({ bs: '1', as: '2' }, fields, readSize);
    expect(sizes).toEqual(['1', '2']);
  });
});
