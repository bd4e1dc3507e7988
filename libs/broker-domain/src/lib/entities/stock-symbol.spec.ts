import { Market } from '../enums/market';
import { InvalidArgumentError } from '../errors/broker-errors';
import { StockSymbol, StockSymbolProps } from './stock-symbol';

describe('StockSymbol', () => {
  const props: StockSymbolProps = {
    code: '005930',
    name: '삼성전자',
    market: Market.KOSPI,
    sector: 'Semiconductors',
    englishName: 'Samsung Electronics',
  };

  it('keeps the listing data and renders it as JSON', () => {
    const symbol = new StockSymbol(props);
    expect(symbol.code).toBe('005930');
    expect(symbol.name).toBe('삼성전자');
    expect(symbol.toJSON()).toEqual(props);
    expect(Object.isFrozen(symbol)).toBe(true);
  });

  it('omits absent optional fields', () => {
    const symbol = new StockSymbol({ code: '247540', name: '에코프로비엠', market: Market.KOSDAQ });
    expect(symbol.toJSON()).toEqual({ code: '247540', name: '에코프로비엠', market: 'KOSDAQ' });
  });

  it.each([
    ['code', { code: '5930' }],
    ['code', { code: 5930 }],
    ['name', { name: ' ' }],
    ['market', { market: 'NASDAQ' }],
    ['sector', { sector: '' }],
    ['englishName', { englishName: '' }],
  ])('rejects a bad %s', (field, override) => {
    const build = () => new StockSymbol({ ...props, ...override } as unknown as StockSymbolProps);
    expect(build).toThrow(InvalidArgumentError);
    try {
      build();
    } catch (error) {
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });
});
