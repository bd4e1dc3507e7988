import { OrderSide, OrderType } from '@qts/broker-domain';
import { asRecord, countField, priceField, scalarText } from '../http/json-fields';
import { kstDateTime } from '../http/kst-date';
import type { BrokerOrderRow } from '../orders/broker-order-row';
import { KiwoomContinuation, readKiwoomContinuation } from './kiwoom-continuation';
import { kiwoomOrderState, kiwoomOrderStatus, KiwoomOrderQuantities } from './kiwoom-order-status';

/**
 * One row of kt00007 (계좌별주문체결내역상세요청), list acnt_ord_cntr_prps_dtl. Fields as in
 * Kiwoom-Securities/Kiwoom-REST-API examples/국내주식/계좌/get_domestic_account_order_fill_detail.py:
 * ord_no, stk_cd, trde_tp, ord_qty, ord_uv, acpt_tp, ord_tm, ori_ord, io_tp_nm, cntr_qty, cntr_uv,
 * ord_remnq, mdfy_cncl, dmst_stex_tp.
 */
export interface KiwoomOrderDetail extends BrokerOrderRow {
  quantities: KiwoomOrderQuantities;
  /** mdfy_cncl (정정취소구분), e.g. '취소' on a cancel row. */
  amendCancel: string;
}

export type KiwoomOrderDetailsResult =
  | { kind: 'ok'; orders: KiwoomOrderDetail[]; continuation: KiwoomContinuation }
  | { kind: 'rejected'; returnCode: string; message: string }
  | { kind: 'malformed'; reason: string };

/**
 * Reads a kt00007 answer for the orders of `orderDate` (YYYYMMDD; kt00007 lists one day, and its rows carry
 * only the time). A row without order number or readable quantities makes it malformed.
 */
export function parseKiwoomOrderDetails(
  body: unknown,
  orderDate?: string,
  headers?: Readonly<Record<string, string>>,
): KiwoomOrderDetailsResult {
  const record = asRecord(body);
  if (record === undefined) {
    return { kind: 'malformed', reason: 'body is not a JSON object' };
  }
  const returnCode = scalarText(record['return_code'])?.trim();
  if (returnCode === undefined || returnCode === '') {
    return { kind: 'malformed', reason: 'return_code missing' };
  }
  if (returnCode !== '0') {
    return { kind: 'rejected', returnCode, message: (scalarText(record['return_msg']) ?? '').trim() };
  }
  const rows = record['acnt_ord_cntr_prps_dtl'] ?? [];
  if (!Array.isArray(rows)) {
    return { kind: 'malformed', reason: 'acnt_ord_cntr_prps_dtl is not a list' };
  }
  const orders: KiwoomOrderDetail[] = [];
  for (const [index, row] of rows.entries()) {
    const order = parseRow(asRecord(row), orderDate);
    if (order === undefined) {
      return { kind: 'malformed', reason: `acnt_ord_cntr_prps_dtl[${index}] is not a readable order row` };
    }
    orders.push(order);
  }
  return { kind: 'ok', orders, continuation: readKiwoomContinuation(headers) };
}

function parseRow(row: Record<string, unknown> | undefined, orderDate: string | undefined): KiwoomOrderDetail | undefined {
  if (row === undefined) {
    return undefined;
  }
  const orderNo = scalarText(row['ord_no'])?.trim();
  const ordered = countField(row['ord_qty']);
  const filled = countField(row['cntr_qty']) ?? 0;
  if (orderNo === undefined || orderNo === '' || ordered === undefined) {
    return undefined;
  }
  const remaining = countField(row['ord_remnq']) ?? Math.max(0, ordered - filled);
  const fillPrice = priceField(row['cntr_uv']);
  const price = priceField(row['ord_uv']);
  const originalOrderNo = (scalarText(row['ori_ord']) ?? '').trim();
  const amendCancel = (scalarText(row['mdfy_cncl']) ?? '').trim();
  const direction = (scalarText(row['io_tp_nm']) ?? '').trim();
  const tradeType = (scalarText(row['trde_tp']) ?? '').trim();
  const orderedAt = kstDateTime(orderDate, scalarText(row['ord_tm']));
  const quantities: KiwoomOrderQuantities = {
    ordered,
    filled,
    remaining,
    acceptance: (scalarText(row['acpt_tp']) ?? '').trim(),
  };
  const state = kiwoomOrderState(quantities);
  const isCancelOrAmend = !/^0*$/.test(originalOrderNo) || amendCancel !== '';
  return {
    orderNo,
    symbol: (scalarText(row['stk_cd']) ?? '').trim().replace(/^A(?=[0-9A-Z]{6}$)/, ''),
    ...(direction.includes('매수') ? { side: OrderSide.BUY } : direction.includes('매도') ? { side: OrderSide.SELL } : {}),
    ...(tradeType.includes('시장가')
      ? { orderType: OrderType.MARKET }
      : tradeType === '보통' || tradeType === '지정가'
        ? { orderType: OrderType.LIMIT }
        : {}),
    quantity: ordered,
    ...(price !== undefined && price.greaterThan(0) ? { price } : {}),
    filledQuantity: filled,
    ...(filled > 0 && fillPrice !== undefined && fillPrice.greaterThan(0) ? { avgFillPrice: fillPrice } : {}),
    ...(orderedAt === undefined ? {} : { orderedAt }),
    ...(isCancelOrAmend ? { originalOrderNo: /^0*$/.test(originalOrderNo) ? '' : originalOrderNo } : {}),
    quantities,
    status: kiwoomOrderStatus(state),
    stateLabel: state,
    amendCancel,
  };
}
