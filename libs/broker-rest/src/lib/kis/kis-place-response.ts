import { scalarText } from '../http/json-fields';

/** The answer of order-cash (and order-rvsecncl, same shape) as the adapter needs it. */
export type KisPlaceResult =
  | {
      kind: 'accepted';
      /** ODNO: the order number. */
      orderNo: string;
      /** KRX_FWDG_ORD_ORGNO: needed to cancel the order; empty when KIS omitted it. */
      branchNo: string;
      /** ORD_TMD: HHMMSS (KST). */
      orderTime: string;
      messageCode: string;
      message: string;
    }
  | { kind: 'rejected'; rtCd: string; messageCode: string; message: string }
  | { kind: 'malformed'; reason: string };

/**
 * Reads a KIS order answer: rt_cd "0" is success with output.ODNO / KRX_FWDG_ORD_ORGNO / ORD_TMD;
 * any other rt_cd is a refusal described by msg_cd and msg1. Anything else is malformed, which for an
 * order means its outcome is unknown: a success without an order number is not a success we can use.
 */
export function parseKisPlaceResponse(body: unknown): KisPlaceResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'malformed', reason: 'body is not a JSON object' };
  }
  const record = body as Record<string, unknown>;
  const rtCd = scalarText(record['rt_cd']);
  if (rtCd === undefined || rtCd === '') {
    return { kind: 'malformed', reason: 'rt_cd missing' };
  }
  const messageCode = scalarText(record['msg_cd']) ?? '';
  const message = (scalarText(record['msg1']) ?? '').trim();
  if (rtCd !== '0') {
    return { kind: 'rejected', rtCd, messageCode, message };
  }
  const output = record['output'];
  if (output === null || typeof output !== 'object' || Array.isArray(output)) {
    return { kind: 'malformed', reason: 'rt_cd "0" without output' };
  }
  const fields = output as Record<string, unknown>;
  const orderNo = scalarText(fields['ODNO'] ?? fields['odno']);
  if (orderNo === undefined || orderNo.trim() === '') {
    return { kind: 'malformed', reason: 'rt_cd "0" without output.ODNO' };
  }
  return {
    kind: 'accepted',
    orderNo: orderNo.trim(),
    branchNo: (scalarText(fields['KRX_FWDG_ORD_ORGNO'] ?? fields['krx_fwdg_ord_orgno']) ?? '').trim(),
    orderTime: (scalarText(fields['ORD_TMD'] ?? fields['ord_tmd']) ?? '').trim(),
    messageCode,
    message,
  };
}
