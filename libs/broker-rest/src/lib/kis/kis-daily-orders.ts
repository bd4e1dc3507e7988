import { OrderSide, OrderType } from '@qts/broker-domain';
import { asRecord, countField, priceField, scalarText } from '../http/json-fields';
import { kstDateTime } from '../http/kst-date';
import type { BrokerOrderRow } from '../orders/broker-order-row';
import { KisContinuation, readKisContinuation } from './kis-continuation';
import { kisOrderState, kisOrderStatus, KisOrderQuantities } from './kis-order-status';

/**
 * One order row (output1) of inquire-daily-ccld.
 * Fields as in koreainvestment/open-trading-api examples_llm/domestic_stock/inquire_daily_ccld/
 * chk_inquire_daily_ccld.py: odno, ord_gno_brno, orgn_odno, sll_buy_dvsn_cd (01 sell, 02 buy), pdno,
 * ord_qty, ord_unpr, ord_dt, ord_tmd, tot_ccld_qty, avg_prvs, cncl_yn, ord_dvsn_cd, cnc_cfrm_qty, rmn_qty,
 * rjct_qty.
 */
export interface KisDailyOrder extends BrokerOrderRow {
  /** ord_gno_brno: the branch number a cancel must quote as KRX_FWDG_ORD_ORGNO. */
  branchNo: string;
  /** ord_dvsn_cd */
  orderDivision: string;
  quantities: KisOrderQuantities;
}

export type KisDailyOrdersResult =
  | { kind: 'ok'; orders: KisDailyOrder[]; continuation: KisContinuation }
  | { kind: 'rejected'; messageCode: string; message: string }
  | { kind: 'malformed'; reason: string };

/** Reads an inquire-daily-ccld answer. A row without order number or readable quantities makes it malformed. */
export function parseKisDailyOrders(body: unknown, headers?: Readonly<Record<string, string>>): KisDailyOrdersResult {
  const record = asRecord(body);
  if (record === undefined) {
    return { kind: 'malformed', reason: 'body is not a JSON object' };
  }
  const rtCd = scalarText(record['rt_cd']);
  if (rtCd === undefined || rtCd === '') {
    return { kind: 'malformed', reason: 'rt_cd missing' };
  }
  if (rtCd !== '0') {
    return {
      kind: 'rejected',
      messageCode: scalarText(record['msg_cd']) ?? '',
      message: (scalarText(record['msg1']) ?? '').trim(),
    };
  }
  const rows = record['output1'] ?? [];
  if (!Array.isArray(rows)) {
    return { kind: 'malformed', reason: 'output1 is not a list' };
  }
  const orders: KisDailyOrder[] = [];
  for (const [index, row] of rows.entries()) {
    const order = parseRow(asRecord(row));
    if (order === undefined) {
      return { kind: 'malformed', reason: `output1[${index}] is not a readable order row` };
    }
    orders.push(order);
  }
  return { kind: 'ok', orders, continuation: readKisContinuation(record, headers) };
}

function parseRow(row: Record<string, unknown> | undefined): KisDailyOrder | undefined {
  if (row === undefined) {
    return undefined;
  }
  const orderNo = scalarText(row['odno'])?.trim();
  const ordered = countField(row['ord_qty']);
  const filled = countField(row['tot_ccld_qty']);
  if (orderNo === undefined || orderNo === '' || ordered === undefined || filled === undefined) {
    return undefined;
  }
  const rejected = countField(row['rjct_qty']) ?? 0;
  const cancelConfirmed = countField(row['cnc_cfrm_qty']) ?? 0;
  const remaining = countField(row['rmn_qty']) ?? Math.max(0, ordered - filled - cancelConfirmed - rejected);
  const sideCode = scalarText(row['sll_buy_dvsn_cd'])?.trim();
  const avgFillPrice = priceField(row['avg_prvs']);
  const orderDivision = (scalarText(row['ord_dvsn_cd']) ?? '').trim();
  const price = priceField(row['ord_unpr']);
  const originalOrderNo = (scalarText(row['orgn_odno']) ?? '').trim();
  const orderedAt = kstDateTime(scalarText(row['ord_dt']), scalarText(row['ord_tmd']));
  const quantities: KisOrderQuantities = {
    ordered,
    filled,
    remaining,
    rejected,
    cancelConfirmed,
    cancelFlag: (scalarText(row['cncl_yn']) ?? '').trim().toUpperCase() === 'Y',
  };
  const state = kisOrderState(quantities);
  return {
    orderNo,
    branchNo: (scalarText(row['ord_gno_brno']) ?? '').trim(),
    symbol: (scalarText(row['pdno']) ?? '').trim(),
    ...(sideCode === '01' ? { side: OrderSide.SELL } : sideCode === '02' ? { side: OrderSide.BUY } : {}),
    ...(orderDivision === '00'
      ? { orderType: OrderType.LIMIT }
      : orderDivision === '01'
        ? { orderType: OrderType.MARKET }
        : {}),
    orderDivision,
    quantity: ordered,
    ...(price !== undefined && price.greaterThan(0) ? { price } : {}),
    filledQuantity: filled,
    ...(filled > 0 && avgFillPrice !== undefined && avgFillPrice.greaterThan(0) ? { avgFillPrice } : {}),
    ...(orderedAt === undefined ? {} : { orderedAt }),
    ...(/^0*$/.test(originalOrderNo) ? {} : { originalOrderNo }),
    quantities,
    status: kisOrderStatus(state),
    stateLabel: state,
  };
}
