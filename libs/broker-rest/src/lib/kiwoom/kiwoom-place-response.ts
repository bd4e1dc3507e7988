import { asRecord, scalarText } from '../http/json-fields';
import { kiwoomMessageCode } from './kiwoom-error-to-fail-safe';

/** The answer of kt10000/kt10001/kt10003 as the adapter needs it. */
export type KiwoomPlaceResult =
  | { kind: 'accepted'; orderNo: string; message: string }
  | { kind: 'rejected'; returnCode: string; messageCode?: string; message: string }
  | { kind: 'malformed'; reason: string };

/**
 * Reads a Kiwoom order answer: return_code 0 (number or string) with ord_no is success; any other
 * return_code is a refusal described by return_msg (with its bracketed message code). Anything else,
 * including success without an order number, is malformed: for an order, an unknown outcome.
 */
export function parseKiwoomPlaceResponse(body: unknown): KiwoomPlaceResult {
  const record = asRecord(body);
  if (record === undefined) {
    return { kind: 'malformed', reason: 'body is not a JSON object' };
  }
  const returnCode = scalarText(record['return_code'])?.trim();
  if (returnCode === undefined || returnCode === '') {
    return { kind: 'malformed', reason: 'return_code missing' };
  }
  const message = (scalarText(record['return_msg']) ?? '').trim();
  if (returnCode !== '0') {
    const messageCode = kiwoomMessageCode(message);
    return { kind: 'rejected', returnCode, ...(messageCode === undefined ? {} : { messageCode }), message };
  }
  const orderNo = scalarText(record['ord_no'])?.trim();
  if (orderNo === undefined || orderNo === '') {
    return { kind: 'malformed', reason: 'return_code 0 without ord_no' };
  }
  return { kind: 'accepted', orderNo, message };
}
