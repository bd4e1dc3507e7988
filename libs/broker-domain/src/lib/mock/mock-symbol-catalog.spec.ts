import { StockSymbol } from '../entities/stock-symbol';
import { Market } from '../enums/market';
import { krxTickSizeOf } from '../values/krx-tick-size';
import { defaultMockSymbols } from './mock-broker-gateway';
import { MOCK_SYMBOL_CATALOG } from './mock-symbol-catalog';

describe('MOCK_SYMBOL_CATALOG', () => {
  it('holds at least 20 distinct KRX listings with valid codes, names and markets', () => {
    expect(MOCK_SYMBOL_CATALOG.length).toBeGreaterThanOrEqual(20);
    expect(new Set(MOCK_SYMBOL_CATALOG.map((p) => p.code)).size).toBe(MOCK_SYMBOL_CATALOG.length);
    const symbols = defaultMockSymbols();
    expect(symbols.every((symbol) => symbol instanceof StockSymbol)).toBe(true);
    expect(symbols.map((s) => s.code)).toEqual(MOCK_SYMBOL_CATALOG.map((p) => p.code));
  });

  it('uses the real names and markets of well-known listings', () => {
    const byCode = new Map(MOCK_SYMBOL_CATALOG.map((p) => [p.code, p]));
    const expected: Array<[string, string, Market]> = [
      ['005930', '삼성전자', Market.KOSPI],
      ['000660', 'SK하이닉스', Market.KOSPI],
      ['373220', 'LG에너지솔루션', Market.KOSPI],
      ['207940', '삼성바이오로직스', Market.KOSPI],
      ['005380', '현대차', Market.KOSPI],
      ['035420', 'NAVER', Market.KOSPI],
      ['035720', '카카오', Market.KOSPI],
      ['247540', '에코프로비엠', Market.KOSDAQ],
      ['086520', '에코프로', Market.KOSDAQ],
    ];
    for (const [code, name, market] of expected) {
      expect(byCode.get(code)).toMatchObject({ name, market });
    }
    // Delisted after merging into 셀트리온 (December 2023).
    expect(byCode.has('091990')).toBe(false);
  });

  it('spans every KRX tick band so simulated prices exercise the whole grid', () => {
    const ticks = new Set(MOCK_SYMBOL_CATALOG.map((p) => krxTickSizeOf(p.basePrice)));
    expect([...ticks].sort((a, b) => a - b)).toEqual([1, 5, 10, 50, 100, 500, 1000]);
    expect(MOCK_SYMBOL_CATALOG.every((p) => p.averageDailyVolume > 0 && p.basePrice > 0)).toBe(true);
  });
});
