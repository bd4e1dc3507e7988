import { Decimal, Market, StockSymbol } from '@qts/broker-domain';
import type { BrokerBar } from '../gateway/candle-bars';
import { sessionOpenOfDate, weekOpenOfDate } from '../gateway/candle-bars';
import { asRecord, countField, listField, priceField, scalarText, signedDecimalField } from '../http/json-fields';
import { kstDateTime } from '../http/kst-date';
import { MalformedAnswerError } from '../gateway/malformed-answer-error';


function object(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = record[field];
  const single = Array.isArray(value) ? value[0] : value;
  const found = asRecord(single);
  if (found === undefined) {
    throw new MalformedAnswerError(`${field} is not an object`);
  }
  return found;
}

function list(record: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const rows = listField(record, field);
  if (rows === undefined) {
    throw new MalformedAnswerError(`${field} is not a list`);
  }
  return rows;
}

function price(record: Record<string, unknown>, field: string): Decimal {
  const value = priceField(record[field]);
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not a price`);
  }
  return value;
}

function count(record: Record<string, unknown>, field: string): number {
  const value = countField(record[field]);
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not a count`);
  }
  return value;
}

function signed(record: Record<string, unknown>, field: string): Decimal {
  const value = signedDecimalField(record[field]);
  if (value === undefined) {
    throw new MalformedAnswerError(`${field} is not a number`);
  }
  return value;
}

/**
 * inquire-price (FHKST01010100) output: stck_prpr, prdy_vrss, prdy_ctrt, stck_oprc, stck_hgpr, stck_lwpr,
 * stck_sdpr (the base price: the previous close), acml_vol.
 * (koreainvestment/open-trading-api examples_llm/domestic_stock/inquire_price/chk_inquire_price.py)
 */
export interface KisPriceSnapshot {
  price: Decimal;
  change: Decimal;
  changeRate: Decimal;
  open?: Decimal;
  high?: Decimal;
  low?: Decimal;
  previousClose?: Decimal;
  volume: number;
}

/** undefined when KIS answered without a price (it does so for a code it does not list). */
export function parseKisPrice(record: Record<string, unknown>): KisPriceSnapshot | undefined {
  const output = object(record, 'output');
  const last = priceField(output['stck_prpr']);
  if (last === undefined || last.isZero()) {
    return undefined;
  }
  const optional = (field: string) => {
    const value = priceField(output[field]);
    return value === undefined || value.isZero() ? undefined : value;
  };
  return {
    price: last,
    change: signed(output, 'prdy_vrss'),
    changeRate: signed(output, 'prdy_ctrt'),
    open: optional('stck_oprc'),
    high: optional('stck_hgpr'),
    low: optional('stck_lwpr'),
    previousClose: optional('stck_sdpr'),
    volume: count(output, 'acml_vol'),
  };
}

/**
 * inquire-asking-price-exp-ccn (FHKST01010200) output1: askp1 / bidp1 (best ask / bid) and askp_rsqn1 /
 * bidp_rsqn1 (their sizes). (examples_llm/domestic_stock/inquire_asking_price_exp_ccn/chk_...py)
 */
export function parseKisBestPrices(record: Record<string, unknown>): { bid: Decimal; ask: Decimal; bidSize: number; askSize: number } {
  const output = object(record, 'output1');
  return {
    bid: priceField(output['bidp1']) ?? new Decimal(0),
    ask: priceField(output['askp1']) ?? new Decimal(0),
    bidSize: countField(output['bidp_rsqn1']) ?? 0,
    askSize: countField(output['askp_rsqn1']) ?? 0,
  };
}

/**
 * inquire-daily-itemchartprice (FHKST03010100) output2, newest first, at most 100 rows: stck_bsop_date,
 * stck_oprc, stck_hgpr, stck_lwpr, stck_clpr, acml_vol. KIS pads short answers with empty rows, which are
 * skipped. (examples_llm/domestic_stock/inquire_daily_itemchartprice/chk_inquire_daily_itemchartprice.py)
 */
export function parseKisDailyBars(record: Record<string, unknown>, weekly: boolean): { bars: BrokerBar[]; dates: string[] } {
  const bars: BrokerBar[] = [];
  const dates: string[] = [];
  for (const row of list(record, 'output2')) {
    const date = (scalarText(row['stck_bsop_date']) ?? '').trim();
    if (date === '') {
      continue;
    }
    const startMs = weekly ? weekOpenOfDate(date) : sessionOpenOfDate(date);
    if (startMs === undefined) {
      throw new MalformedAnswerError(`stck_bsop_date '${date}' is not a date`);
    }
    dates.push(date);
    bars.push({
      startMs,
      open: price(row, 'stck_oprc'),
      high: price(row, 'stck_hgpr'),
      low: price(row, 'stck_lwpr'),
      close: price(row, 'stck_clpr'),
      volume: count(row, 'acml_vol'),
    });
  }
  return { bars, dates };
}

/**
 * inquire-time-dailychartprice (FHKST03010230) output2, newest first, at most 120 one-minute rows:
 * stck_bsop_date, stck_cntg_hour (HHMMSS, the minute the bar starts), stck_oprc, stck_hgpr, stck_lwpr,
 * stck_prpr (the close), cntg_vol. (examples_llm/domestic_stock/inquire_time_dailychartprice/chk_...py)
 */
export function parseKisMinuteBars(record: Record<string, unknown>): { bars: BrokerBar[]; earliest?: string } {
  const bars: BrokerBar[] = [];
  let earliest: string | undefined;
  for (const row of list(record, 'output2')) {
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
    bars.push({
      startMs: start.getTime(),
      open: price(row, 'stck_oprc'),
      high: price(row, 'stck_hgpr'),
      low: price(row, 'stck_lwpr'),
      close: price(row, 'stck_prpr'),
      volume: count(row, 'cntg_vol'),
    });
  }
  return { bars, ...(earliest === undefined ? {} : { earliest }) };
}

/**
 * search-stock-info (CTPF1002R) output: prdt_abrv_name, prdt_eng_abrv_name, mket_id_cd (STK KOSPI, KSQ
 * KOSDAQ), idx_bztp_mcls_cd_name (sector). (examples_llm/domestic_stock/search_stock_info/chk_...py)
 */
export function parseKisStockInfo(record: Record<string, unknown>, code: string): StockSymbol | undefined {
  const output = object(record, 'output');
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
export interface KisHolding {
  symbol: string;
  name: string;
  quantity: number;
  avgPrice: Decimal;
  currentPrice: Decimal;
}

export function parseKisHoldings(record: Record<string, unknown>): KisHolding[] {
  const holdings: KisHolding[] = [];
  for (const row of list(record, 'output1')) {
    const quantity = countField(row['hldg_qty']) ?? 0;
    const symbol = (scalarText(row['pdno']) ?? '').trim();
    if (quantity === 0 || symbol === '') {
      continue;
    }
    holdings.push({
      symbol,
      name: (scalarText(row['prdt_name']) ?? symbol).trim() || symbol,
      quantity,
      avgPrice: priceField(row['pchs_avg_pric']) ?? new Decimal(0),
      currentPrice: price(row, 'prpr'),
    });
  }
  return holdings;
}

export function parseKisBalanceTotals(record: Record<string, unknown>): { deposit: Decimal; totalEvaluation: Decimal } {
  const totals = object(record, 'output2');
  return { deposit: signed(totals, 'dnca_tot_amt'), totalEvaluation: signed(totals, 'tot_evlu_amt') };
}

/** inquire-psbl-order (TTTC8908R / VTTC8908R) output.ord_psbl_cash: the cash a new order may use. */
export function parseKisOrderableCash(record: Record<string, unknown>): Decimal {
  return signed(object(record, 'output'), 'ord_psbl_cash');
}
