import { Market } from '../enums/market';
import {
  optionalNonEmptyString,
  requireEnumValue,
  requireNonEmptyString,
  requireSymbolCode,
} from './field-guards';

export interface StockSymbolProps {
  /** KRX short code, e.g. '005930'. */
  code: string;
  /** Korean name as listed on KRX, e.g. '삼성전자'. */
  name: string;
  market: Market;
  sector?: string;
  /** English name, e.g. 'Samsung Electronics'. */
  englishName?: string;
}

/**
 * A listed KRX equity. (Not called `Symbol`: that would shadow the JavaScript global in every importer.)
 */
export class StockSymbol {
  readonly code: string;
  readonly name: string;
  readonly market: Market;
  readonly sector?: string;
  readonly englishName?: string;

  constructor(props: StockSymbolProps) {
    this.code = requireSymbolCode(props.code, 'code');
    this.name = requireNonEmptyString(props.name, 'name');
    this.market = requireEnumValue(Market, props.market, 'market');
    this.sector = optionalNonEmptyString(props.sector, 'sector');
    this.englishName = optionalNonEmptyString(props.englishName, 'englishName');
    Object.freeze(this);
  }

  toJSON(): StockSymbolProps {
    return {
      code: this.code,
      name: this.name,
      market: this.market,
      ...(this.sector === undefined ? {} : { sector: this.sector }),
      ...(this.englishName === undefined ? {} : { englishName: this.englishName }),
    };
  }
}
