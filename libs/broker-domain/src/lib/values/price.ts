import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';
import { formatDecimal, toDecimal } from './decimal-conversion';
import { isOnKrxTick, krxTickSize, roundToKrxTick, TickRoundingMode } from './krx-tick-size';

/** A strictly positive price in KRW. Whether it sits on the KRX tick grid is a separate question. */
export class Price {
  private constructor(readonly value: Decimal) {
    Object.freeze(this);
  }

  static of(value: Decimal.Value, field = 'price'): Price {
    const decimal = toDecimal(value, field);
    if (!decimal.greaterThan(0)) {
      throw new InvalidArgumentError(`${field} must be positive`, { field });
    }
    return new Price(decimal);
  }

  tickSize(): Decimal {
    return krxTickSize(this.value);
  }

  isOnTick(): boolean {
    return isOnKrxTick(this.value);
  }

  roundToTick(mode: TickRoundingMode = 'nearest'): Price {
    return new Price(roundToKrxTick(this.value, mode));
  }

  equals(other: Price): boolean {
    return this.value.equals(other.value);
  }

  toString(): string {
    return formatDecimal(this.value);
  }

  toJSON(): string {
    return this.toString();
  }
}
