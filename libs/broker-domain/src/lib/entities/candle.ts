import { Decimal } from 'decimal.js';
import { isTimeframe, Timeframe } from '../enums/timeframe';
import { InvalidArgumentError } from '../errors/broker-errors';
import { formatDecimal } from '../values/decimal-conversion';
import {
  DecimalInput,
  requireDate,
  requireNonNegativeSafeInteger,
  requirePositiveDecimal,
  requireSymbolCode,
} from './field-guards';

export interface CandleProps {
  symbol: string;
  timeframe: Timeframe;
  /** UTC instant at which the bar starts. */
  timestamp: Date;
  open: DecimalInput;
  high: DecimalInput;
  low: DecimalInput;
  close: DecimalInput;
  /** Shares traded in the bar. */
  volume: number;
}

export interface CandleJson {
  symbol: string;
  timeframe: Timeframe;
  timestamp: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: number;
}

/** One OHLCV bar. The constructor refuses bars whose high/low do not bracket open and close. */
export class Candle {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly timestamp: Date;
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly close: Decimal;
  readonly volume: number;

  constructor(props: CandleProps) {
    this.symbol = requireSymbolCode(props.symbol, 'symbol');
    if (typeof props.timeframe !== 'string' || !isTimeframe(props.timeframe)) {
      throw new InvalidArgumentError('timeframe must be one of 1m, 5m, 15m, 30m, 60m, 1d, 1w', {
        field: 'timeframe',
      });
    }
    this.timeframe = props.timeframe;
    this.timestamp = requireDate(props.timestamp, 'timestamp');
    this.open = requirePositiveDecimal(props.open, 'open');
    this.high = requirePositiveDecimal(props.high, 'high');
    this.low = requirePositiveDecimal(props.low, 'low');
    this.close = requirePositiveDecimal(props.close, 'close');
    this.volume = requireNonNegativeSafeInteger(props.volume, 'volume');
    if (this.high.lessThan(Decimal.max(this.open, this.close))) {
      throw new InvalidArgumentError('high must be >= max(open, close)', { field: 'high' });
    }
    if (this.low.greaterThan(Decimal.min(this.open, this.close))) {
      throw new InvalidArgumentError('low must be <= min(open, close)', { field: 'low' });
    }
    Object.freeze(this);
  }

  toJSON(): CandleJson {
    return {
      symbol: this.symbol,
      timeframe: this.timeframe,
      timestamp: this.timestamp.toISOString(),
      open: formatDecimal(this.open),
      high: formatDecimal(this.high),
      low: formatDecimal(this.low),
      close: formatDecimal(this.close),
      volume: this.volume,
    };
  }
}
