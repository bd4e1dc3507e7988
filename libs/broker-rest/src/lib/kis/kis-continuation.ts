import { scalarText } from '../http/json-fields';

/**
 * Where a paged KIS inquiry continues. KIS answers with the response header tr_cont F or M while more pages
 * follow (D or E on the last) and the body fields ctx_area_fk100 / ctx_area_nk100, which the next request
 * sends back as CTX_AREA_FK100 / CTX_AREA_NK100 with the request header tr_cont N.
 * (koreainvestment/open-trading-api examples_llm/domestic_stock/inquire_daily_ccld/inquire_daily_ccld.py,
 * inquire_balance/inquire_balance.py)
 */
export interface KisContinuation {
  more: boolean;
  fk100: string;
  nk100: string;
}

export function readKisContinuation(
  body: Readonly<Record<string, unknown>>,
  headers: Readonly<Record<string, string>> | undefined,
): KisContinuation {
  const trCont = (headers?.['tr_cont'] ?? '').trim().toUpperCase();
  return {
    more: trCont === 'F' || trCont === 'M',
    fk100: scalarText(body['ctx_area_fk100']) ?? '',
    nk100: scalarText(body['ctx_area_nk100']) ?? '',
  };
}

/** The query fields and headers of the page after `continuation`. */
export function nextKisPage(
  query: Readonly<Record<string, string>>,
  continuation: KisContinuation,
): { payload: Record<string, string>; continuation: Record<string, string> } {
  return {
    payload: { ...query, CTX_AREA_FK100: continuation.fk100, CTX_AREA_NK100: continuation.nk100 },
    continuation: { tr_cont: 'N' },
  };
}
