import { Decimal } from 'decimal.js';
import { InvalidArgumentError } from '../errors/broker-errors';
import { formatDecimal } from '../values/decimal-conversion';
import { Currency, DEFAULT_CURRENCY } from '../values/money';
import { DecimalInput, requireDecimal, requireNonEmptyString } from './field-guards';

export interface BalanceProps {
  accountId: string;
  /** Cash plus the market value of the positions. */
  totalEquity: DecimalInput;
  /** Deposit (may be negative on a margin account with an unsettled shortfall). */
  cashBalance: DecimalInput;
  /** What a new buy order may spend now. */
  buyingPower: DecimalInput;
  currency?: Currency;
}

export interface BalanceJson {
  accountId: string;
  totalEquity: string;
  cashBalance: string;
  buyingPower: string;
  currency: Currency;
}

export class Balance {
  readonly accountId: string;
  readonly totalEquity: Decimal;
  readonly cashBalance: Decimal;
  readonly buyingPower: Decimal;
  readonly currency: Currency;

  constructor(props: BalanceProps) {
    this.accountId = requireNonEmptyString(props.accountId, 'accountId');
    this.totalEquity = requireDecimal(props.totalEquity, 'totalEquity');
    this.cashBalance = requireDecimal(props.cashBalance, 'cashBalance');
    this.buyingPower = requireDecimal(props.buyingPower, 'buyingPower');
    const currency = props.currency ?? DEFAULT_CURRENCY;
    if (currency !== DEFAULT_CURRENCY) {
      throw new InvalidArgumentError(`currency must be ${DEFAULT_CURRENCY}`, { field: 'currency' });
    }
    this.currency = currency;
    Object.freeze(this);
  }

  toJSON(): BalanceJson {
    return {
      accountId: this.accountId,
      totalEquity: formatDecimal(this.totalEquity),
      cashBalance: formatDecimal(this.cashBalance),
      buyingPower: formatDecimal(this.buyingPower),
      currency: this.currency,
    };
  }
}
