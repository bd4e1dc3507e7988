import { Decimal } from 'decimal.js';
import { formatDecimal } from '../values/decimal-conversion';
import {
  DecimalInput,
  requireNonEmptyString,
  requireNonNegativeDecimal,
  requireNonNegativeSafeInteger,
  requireSymbolCode,
} from './field-guards';

export interface PositionProps {
  accountId: string;
  symbol: string;
  symbolName: string;
  /** Shares held (cash accounts hold no short positions). */
  quantity: number;
  /** Average purchase price; 0 when the broker does not know it (e.g. shares received by transfer). */
  avgPrice: DecimalInput;
  currentPrice: DecimalInput;
}

export interface PositionJson {
  accountId: string;
  symbol: string;
  symbolName: string;
  quantity: number;
  avgPrice: string;
  currentPrice: string;
  marketValue: string;
  unrealizedPnl: string;
  unrealizedPnlPct: string;
}

export class Position {
  readonly accountId: string;
  readonly symbol: string;
  readonly symbolName: string;
  readonly quantity: number;
  readonly avgPrice: Decimal;
  readonly currentPrice: Decimal;

  constructor(props: PositionProps) {
    this.accountId = requireNonEmptyString(props.accountId, 'accountId');
    this.symbol = requireSymbolCode(props.symbol, 'symbol');
    this.symbolName = requireNonEmptyString(props.symbolName, 'symbolName');
    this.quantity = requireNonNegativeSafeInteger(props.quantity, 'quantity');
    this.avgPrice = requireNonNegativeDecimal(props.avgPrice, 'avgPrice');
    this.currentPrice = requireNonNegativeDecimal(props.currentPrice, 'currentPrice');
    Object.freeze(this);
  }

  get marketValue(): Decimal {
    return this.currentPrice.times(this.quantity);
  }

  get unrealizedPnl(): Decimal {
    return this.currentPrice.minus(this.avgPrice).times(this.quantity);
  }

  /** Percent gain over the average price; 0 when the average price is unknown (0), never a division by 0. */
  get unrealizedPnlPct(): Decimal {
    if (this.avgPrice.isZero()) {
      return new Decimal(0);
    }
    return this.currentPrice.minus(this.avgPrice).dividedBy(this.avgPrice).times(100);
  }

  toJSON(): PositionJson {
    return {
      accountId: this.accountId,
      symbol: this.symbol,
      symbolName: this.symbolName,
      quantity: this.quantity,
      avgPrice: formatDecimal(this.avgPrice),
      currentPrice: formatDecimal(this.currentPrice),
      marketValue: formatDecimal(this.marketValue),
      unrealizedPnl: formatDecimal(this.unrealizedPnl),
      unrealizedPnlPct: formatDecimal(this.unrealizedPnlPct),
    };
  }
}
