import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';
import { formatDecimal, toDecimal } from './decimal-conversion';

/** The platform trades Korean equities only; a second currency would need explicit conversion rules. */
export type Currency = 'KRW';

export const DEFAULT_CURRENCY: Currency = 'KRW';

/** An amount of money (may be negative, e.g. a loss). Arithmetic stays in decimals end to end. */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: Currency,
  ) {
    Object.freeze(this);
  }

  static of(amount: Decimal.Value, currency: Currency = DEFAULT_CURRENCY, field = 'amount'): Money {
    if (currency !== DEFAULT_CURRENCY) {
      throw new InvalidArgumentError(`currency must be ${DEFAULT_CURRENCY}`, { field: 'currency' });
    }
    return new Money(toDecimal(amount, field), currency);
  }

  static zero(currency: Currency = DEFAULT_CURRENCY): Money {
    return Money.of(0, currency);
  }

  plus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  minus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  /** Multiplies by a quantity or a rate, e.g. price x shares. */
  times(factor: Decimal.Value): Money {
    return new Money(this.amount.times(toDecimal(factor, 'factor')), this.currency);
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  compareTo(other: Money): number {
    this.assertSameCurrency(other);
    return this.amount.comparedTo(other.amount);
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  toString(): string {
    return `${formatDecimal(this.amount)} ${this.currency}`;
  }

  toJSON(): { amount: string; currency: Currency } {
    return { amount: formatDecimal(this.amount), currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new InvalidArgumentError(`cannot combine ${this.currency} with ${other.currency}`, {
        field: 'currency',
      });
    }
  }
}
