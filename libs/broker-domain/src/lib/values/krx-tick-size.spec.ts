import fc from 'fast-check';
import { InvalidArgumentError } from '../errors/broker-errors';
import { Decimal } from './decimal-conversion';
import {
  isOnKrxTick,
  krxTickAboveOf,
  krxTickBelowOf,
  krxTickSize,
  krxTickSizeOf,
  nearestKrxTickOf,
  roundToKrxTick,
} from './krx-tick-size';

describe('krxTickSize', () => {
  it.each([
    ['1', 1],
    ['1999', 1],
    ['1999.99', 1],
    ['2000', 5],
    ['4999', 5],
    ['5000', 10],
    ['19999', 10],
    ['20000', 50],
    ['49999', 50],
    ['50000', 100],
    ['199999', 100],
    ['200000', 500],
    ['499999', 500],
    ['500000', 1000],
    ['3000000', 1000],
  ])('price %s has tick %d (both sides of every band boundary)', (price, tick) => {
    expect(krxTickSize(new Decimal(price)).toNumber()).toBe(tick);
    expect(krxTickSizeOf(Number(price))).toBe(tick);
  });

  it('refuses a non-finite price', () => {
    expect(() => krxTickSize(new Decimal(Number.NaN))).toThrow(InvalidArgumentError);
  });
});

describe('isOnKrxTick', () => {
  it.each([
    ['1999', true],
    ['2000', true],
    ['2003', false],
    ['2005', true],
    ['4995', true],
    ['5005', false],
    ['5010', true],
    ['20010', false],
    ['20050', true],
    ['50050', false],
    ['50100', true],
    ['200100', false],
    ['200500', true],
    ['500500', false],
    ['501000', true],
    ['70000.5', false],
    ['0', false],
    ['-100', false],
  ])('%s on tick: %s', (price, expected) => {
    expect(isOnKrxTick(new Decimal(price))).toBe(expected);
  });
});

describe('roundToKrxTick', () => {
  it.each([
    ['5003', 'down', '5000'],
    ['5003', 'up', '5010'],
    ['5003', 'nearest', '5000'],
    ['5005', 'nearest', '5010'],
    ['4997', 'up', '5000'],
    ['4997', 'down', '4995'],
    ['1999.5', 'nearest', '2000'],
    ['199950', 'up', '200000'],
    ['499700', 'nearest', '499500'],
    ['499800', 'nearest', '500000'],
    ['0.4', 'down', '1'],
  ] as const)('%s rounded %s is %s', (price, mode, expected) => {
    expect(roundToKrxTick(new Decimal(price), mode).toFixed()).toBe(expected);
  });

  it('always lands on the grid, within one tick of the input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.constantFrom('up', 'down', 'nearest'),
        (raw, mode) => {
          const price = new Decimal(raw);
          const rounded = roundToKrxTick(price, mode as 'up' | 'down' | 'nearest');
          expect(isOnKrxTick(rounded)).toBe(true);
          expect(
            rounded
              .minus(price)
              .abs()
              .lessThanOrEqualTo(krxTickSize(Decimal.max(price, rounded))),
          ).toBe(true);
          if (mode === 'up') expect(rounded.greaterThanOrEqualTo(price)).toBe(true);
          if (mode === 'down') expect(rounded.lessThanOrEqualTo(price)).toBe(true);
        },
      ),
    );
  });
});

describe('integer grid arithmetic used by the mock market', () => {
  it('steps to the neighbouring valid prices across band boundaries', () => {
    expect(krxTickAboveOf(1999)).toBe(2000);
    expect(krxTickAboveOf(4995)).toBe(5000);
    expect(krxTickAboveOf(5000)).toBe(5010);
    expect(krxTickBelowOf(5000)).toBe(4995);
    expect(krxTickBelowOf(2000)).toBe(1999);
    expect(krxTickBelowOf(500000)).toBe(499500);
    expect(krxTickBelowOf(501000)).toBe(500000);
  });

  it('keeps every step on the grid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2_000_000 }), (raw) => {
        const onGrid = nearestKrxTickOf(raw);
        expect(isOnKrxTick(new Decimal(onGrid))).toBe(true);
        const above = krxTickAboveOf(onGrid);
        expect(isOnKrxTick(new Decimal(above))).toBe(true);
        expect(above).toBeGreaterThan(onGrid);
        if (onGrid > 1) {
          const below = krxTickBelowOf(onGrid);
          expect(isOnKrxTick(new Decimal(below))).toBe(true);
          expect(below).toBeLessThan(onGrid);
        }
      }),
    );
  });

  it('never rounds below 1 KRW', () => {
    expect(nearestKrxTickOf(0.2)).toBe(1);
  });
});
