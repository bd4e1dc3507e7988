import { Decimal } from 'decimal.js';
import { formatDecimal } from '../values/decimal-conversion';
import {
  DecimalInput,
  optionalPositiveDecimal,
  requireDate,
  requireDecimal,
  requireNonNegativeDecimal,
  requireNonNegativeSafeInteger,
  requirePositiveDecimal,
  requireSymbolCode,
} from './field-guards';

export interface QuoteProps {
  symbol: string;
  /** Last traded price. */
  price: DecimalInput;
  open?: DecimalInput;
  high?: DecimalInput;
  low?: DecimalInput;
  previousClose?: DecimalInput;
  /** price - previousClose. */
  change: DecimalInput;
  /** Change against the previous close, in percent (1.5 means +1.5 %). */
  changeRate: DecimalInput;
  /** Best bid / ask; 0 when that side of the book is empty (e.g. at the daily limit). */
  bid: DecimalInput;
  ask: DecimalInput;
  bidSize: number;
  askSize: number;
  /** Cumulative shares traded today. */
  volume: number;
  timestamp: Date;
}

export interface QuoteJson {
  symbol: string;
  price: string;
  open?: string;
  high?: string;
  low?: string;
  previousClose?: string;
  change: string;
  changeRate: string;
  bid: string;
  ask: string;
  bidSize: number;
  askSize: number;
  volume: number;
  timestamp: string;
}

/**
 * A market snapshot as the broker reported it. It does not insist on bid < ask: a momentarily crossed
 * or one-sided book from a real feed is recorded as is rather than dropped.
 */
export class Quote {
  readonly symbol: string;
  readonly price: Decimal;
  readonly open?: Decimal;
  readonly high?: Decimal;
  readonly low?: Decimal;
  readonly previousClose?: Decimal;
  readonly change: Decimal;
  readonly changeRate: Decimal;
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly bidSize: number;
  readonly askSize: number;
  readonly volume: number;
  readonly timestamp: Date;

  constructor(props: QuoteProps) {
    this.symbol = requireSymbolCode(props.symbol, 'symbol');
    this.price = requirePositiveDecimal(props.price, 'price');
    this.open = optionalPositiveDecimal(props.open, 'open');
    this.high = optionalPositiveDecimal(props.high, 'high');
    this.low = optionalPositiveDecimal(props.low, 'low');
    this.previousClose = optionalPositiveDecimal(props.previousClose, 'previousClose');
    this.change = requireDecimal(props.change, 'change');
    this.changeRate = requireDecimal(props.changeRate, 'changeRate');
    this.bid = requireNonNegativeDecimal(props.bid, 'bid');
    this.ask = requireNonNegativeDecimal(props.ask, 'ask');
    this.bidSize = requireNonNegativeSafeInteger(props.bidSize, 'bidSize');
    this.askSize = requireNonNegativeSafeInteger(props.askSize, 'askSize');
    this.volume = requireNonNegativeSafeInteger(props.volume, 'volume');
    this.timestamp = requireDate(props.timestamp, 'timestamp');
    Object.freeze(this);
  }

  toJSON(): QuoteJson {
    const optional = (key: 'open' | 'high' | 'low' | 'previousClose') => {
      const value = this[key];
      return value === undefined ? {} : { [key]: formatDecimal(value) };
    };
    return {
      symbol: this.symbol,
      price: formatDecimal(this.price),
      ...optional('open'),
      ...optional('high'),
      ...optional('low'),
      ...optional('previousClose'),
      change: formatDecimal(this.change),
      changeRate: formatDecimal(this.changeRate),
      bid: formatDecimal(this.bid),
      ask: formatDecimal(this.ask),
      bidSize: this.bidSize,
      askSize: this.askSize,
      volume: this.volume,
      timestamp: this.timestamp.toISOString(),
    };
  }
}
