import { Decimal } from '@qts/broker-domain';
import { asRecord, countField, priceField, scalarText } from '../rest/json-fields';
import { KiwoomOrderQuantities } from './kiwoom-order-status';

/** One row of kt00007 (계좌별주문체결내역상세요청), list acnt_ord_cntr_prps_dtl. */
export interface KiwoomOrderDetail {
  /** ord_no */
  orderNo: string;
  /** ori_ord: the original order of a cancel/amend row. */
  originalOrderNo: string;
  /** stk_cd without the 'A' prefix Kiwoom sometimes adds. */
  symbol: string;
  quantities: KiwoomOrderQuantities;
  /** cntr_uv: fill price; absent when nothing is filled. */
  avgFillPrice?: Decimal;
  /** mdfy_cncl (정정취소구분), e.g. '취소' on a cancel row. */
  amendCancel: string;
}

export type KiwoomOrderDetailsResult =
  | { kind: 'ok'; orders: KiwoomOrderDetail[] }
  | { kind: 'rejected'; returnCode: string; message: string }
  | { kind: 'malformed'; reason: string };

/** Reads a kt00007 answer. A row without order number or readable quantities makes it malformed. */
export function parseKiwoomOrderDetails(body: unknown): KiwoomOrderDetailsResult {
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
    const order = parseRow(asRecord(row));
    if (order === undefined) {
      return { kind: 'malformed', reason: `acnt_ord_cntr_prps_dtl[${index}] is not a readable order row` };
    }
    orders.push(order);
  }
  return { kind: 'ok', orders };
}

function parseRow(row: Record<string, unknown> | undefined): KiwoomOrderDetail | undefined {
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
  return {
    orderNo,
    originalOrderNo: (scalarText(row['ori_ord']) ?? '').trim(),
    symbol: (scalarText(row['stk_cd']) ?? '').trim().replace(/^A(?=[0-9A-Z]{6}$)/, ''),
    quantities: { ordered, filled, remaining, acceptance: (scalarText(row['acpt_tp']) ?? '').trim() },
    ...(filled > 0 && fillPrice !== undefined && fillPrice.greaterThan(0) ? { avgFillPrice: fillPrice } : {}),
    amendCancel: (scalarText(row['mdfy_cncl']) ?? '').trim(),
  };
}
