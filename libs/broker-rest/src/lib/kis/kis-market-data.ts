import { Decimal, Market, StockSymbol } from '@qts/broker-domain';
import type { BrokerBar } from '../gateway/candle-bars';
import { BarFields, periodBarStart, readBarRow } from '../gateway/bar-rows';
import { BrokerHolding, HoldingFields, readHoldingRows } from '../gateway/broker-holding';
import { MalformedAnswerError } from '../gateway/malformed-answer-error';
import { BestPrices, PriceSnapshot, PriceSnapshotFields, readBestPrices, readPriceSnapshot } from '../gateway/price-snapshot';
import { requiredCount, requiredList, requiredObject, requiredSignedDecimal } from '../gateway/required-answer-fields';
import { scalarText } from '../http/json-fields';
import { kstDateTime } from '../http/kst-date';

/**
 * inquire-price (FHKST01010100) output: stck_prpr, prdy_vrss, prdy_ctrt, stck_oprc, stck_hgpr, stck_lwpr,
 * stck_sdpr (the base price: the previous close), acml_vol.
 * (koreainvestment/open-trading-api examples_llm/domestic_stock/inquire_price/chk_inquire_price.py)
 */
const KIS_PRICE_FIELDS: PriceSnapshotFields = {
  price: 'stck_prpr',
  change: 'prdy_vrss',
  changeRate: 'prdy_ctrt',
  open: 'stck_oprc',
  high: 'stck_hgpr',
  low: 'stck_lwpr',
  previousClose: 'stck_sdpr',
  volume: 'acml_vol',
};

/** undefined when KIS answered without a price (it does so for a code it does not list). */
export function parseKisPrice(record: Record<string, unknown>): PriceSnapshot | undefined {
  return readPriceSnapshot(requiredObject(record, 'output'), KIS_PRICE_FIELDS, requiredCount);
}

/**
 * inquire-asking-price-exp-ccn (FHKST01010200) output1: askp1 / bidp1 (best ask / bid) and askp_rsqn1 /
 * bidp_rsqn1 (their sizes). (examples_llm/domestic_stock/inquire_asking_price_exp_ccn/chk_...py)
 */
export function parseKisBestPrices(record: Record<string, unknown>): BestPrices {
  return readBestPrices(requiredObject(record, 'output1'), { bid: 'bidp1', ask: 'askp1', bidSize: 'bidp_rsqn1', askSize: 'askp_rsqn1' });
}

/**
 * inquire-daily-itemchartprice (FHKST03010100) output2, newest first, at most 100 rows: stck_bsop_date,
 * stck_oprc, stck_hgpr, stck_lwpr, stck_clpr, acml_vol. KIS pads short answers with empty rows, which are
 * skipped. (examples_llm/domestic_stock/inquire_daily_itemchartprice/chk_inquire_daily_itemchartprice.py)
 */
const KIS_DAILY_BAR_FIELDS: BarFields = { open: 'stck_oprc', high: 'stck_hgpr', low: 'stck_lwpr', close: 'stck_clpr', volume: 'acml_vol' };

export function parseKisDailyBars(record: Record<string, unknown>, weekly: boolean): { bars: BrokerBar[]; dates: string[] } {
  const bars: BrokerBar[] = [];
  const dates: string[] = [];
  for (const row of requiredList(record, 'output2')) {
    const start = periodBarStart(row, 'stck_bsop_date', weekly);
    if (start === undefined) {
      continue;
    }
    dates.push(start.date);
    bars.push(readBarRow(row, start.startMs, KIS_DAILY_BAR_FIELDS));
  }
  return { bars, dates };
}

/**
 * inquire-time-dailychartprice (FHKST03010230) output2, newest first, at most 120 one-minute rows:
 * stck_bsop_date, stck_cntg_hour (HHMMSS, the minute the bar starts), stck_oprc, stck_hgpr, stck_lwpr,
 * stck_prpr (the close), cntg_vol. (examples_llm/domestic_stock/inquire_time_dailychartprice/chk_...py)
 */
const KIS_MINUTE_BAR_FIELDS: BarFields = { open: 'stck_oprc', high: 'stck_hgpr', low: 'stck_lwpr', close: 'stck_prpr', volume: 'cntg_vol' };

export function parseKisMinuteBars(record: Record<string, unknown>): { bars: BrokerBar[]; earliest?: string } {
  const bars: BrokerBar[] = [];
  let earliest: string | undefined;
  for (const row of requiredList(record, 'output2')) {
    const date = (scalarText(row['stck_bsop_date']) ?? '').trim();
    const time = (scalarText(row['stck_cntg_hour']) ?? '').trim();
    if (date === '' && time === '') {
      continue;
    }
    const start = kstDateTime(date, time);
    if (start === undefined) {
      throw new MalformedAnswerError(`minute row ${date} ${time} is not a time`);
    }
    const stamp = `${date}${time}`;
    earliest = earliest === undefined || stamp < earliest ? stamp : earliest;
    bars.push(readBarRow(row, start.getTime(), KIS_MINUTE_BAR_FIELDS));
  }
  return { bars, ...(earliest === undefined ? {} : { earliest }) };
}

/**
 * search-stock-info (CTPF1002R) output: prdt_abrv_name, prdt_eng_abrv_name, mket_id_cd (STK KOSPI, KSQ
 * KOSDAQ), idx_bztp_mcls_cd_name (sector). (examples_llm/domestic_stock/search_stock_info/chk_...py)
 */
export function parseKisStockInfo(record: Record<string, unknown>, code: string): StockSymbol | undefined {
  const output = requiredObject(record, 'output');
  const name = (scalarText(output['prdt_abrv_name']) ?? scalarText(output['prdt_name']) ?? '').trim();
  const marketId = (scalarText(output['mket_id_cd']) ?? '').trim();
  const market = marketId === 'STK' ? Market.KOSPI : marketId === 'KSQ' ? Market.KOSDAQ : undefined;
  if (name === '' || market === undefined) {
    return undefined;
  }
  const englishName = (scalarText(output['prdt_eng_abrv_name']) ?? '').trim();
  const sector = (scalarText(output['idx_bztp_mcls_cd_name']) ?? '').trim();
  return new StockSymbol({
    code,
    name,
    market,
    ...(englishName === '' ? {} : { englishName }),
    ...(sector === '' ? {} : { sector }),
  });
}

/**
 * inquire-balance (TTTC8434R / VTTC8434R): output1 holdings (pdno, prdt_name, hldg_qty, pchs_avg_pric, prpr),
 * output2 totals (dnca_tot_amt deposit, tot_evlu_amt total evaluation). (examples_llm/domestic_stock/
 * inquire_balance/chk_inquire_balance.py)
 */
const KIS_HOLDING_FIELDS: HoldingFields = {
  symbol: 'pdno',
  name: 'prdt_name',
  quantity: 'hldg_qty',
  avgPrice: 'pchs_avg_pric',
  currentPrice: 'prpr',
};

export function parseKisHoldings(record: Record<string, unknown>): BrokerHolding[] {
  return readHoldingRows(requiredList(record, 'output1'), KIS_HOLDING_FIELDS);
}

export function parseKisBalanceTotals(record: Record<string, unknown>): { deposit: Decimal; totalEvaluation: Decimal } {
  const totals = requiredObject(record, 'output2');
  return { deposit: requiredSignedDecimal(totals, 'dnca_tot_amt'), totalEvaluation: requiredSignedDecimal(totals, 'tot_evlu_amt') };
}

/** inquire-psbl-order (TTTC8908R / VTTC8908R) output.ord_psbl_cash: the cash a new order may use. */
export function parseKisOrderableCash(record: Record<string, unknown>): Decimal {
  return requiredSignedDecimal(requiredObject(record, 'output'), 'ord_psbl_cash');
}
