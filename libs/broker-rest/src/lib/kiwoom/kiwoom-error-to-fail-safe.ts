import { FailSafeCode } from '@qts/broker-domain';
import {
  failSafeForTransport,
  failSafeIndex,
  saysInsufficientFunds,
  transportConditionOfHttpStatus,
} from '../fail-safe/broker-fail-safe-table';

const MESSAGE_CODE_INDEX = failSafeIndex((rule) => rule.kiwoomMessageCodes);
const RETURN_CODE_INDEX = failSafeIndex((rule) => rule.kiwoomReturnCodes);

/**
 * Kiwoom error -> fail-safe code, read from BROKER_FAIL_SAFE_TABLE. Keys: message codes ('1700'),
 * return codes ('return_code=5', used only when return_msg carries no message code) and 'timeout'.
 */
export const KIWOOM_ERROR_TO_SAFETY: Readonly<Record<string, FailSafeCode>> = Object.freeze({
  ...Object.fromEntries(MESSAGE_CODE_INDEX),
  ...Object.fromEntries([...RETURN_CODE_INDEX].map(([code, failSafe]) => [`return_code=${code}`, failSafe])),
  timeout: failSafeForTransport('timeout'),
});

/** What is known about a failed Kiwoom call. */
export interface KiwoomErrorInput {
  returnCode?: number | string;
  /** return_msg; its bracketed message code ("...[1700:...]") is read when messageCode is absent. */
  message?: string;
  messageCode?: string;
  httpStatus?: number;
  transport?: 'timeout' | 'network' | 'connection';
}

/** The 4-digit message code in a return_msg: "허용된 요청 개수를 초과하였습니다[1700:...]" -> '1700'. */
export function kiwoomMessageCode(message: string | undefined): string | undefined {
  return message === undefined ? undefined : /\[(\d{4})(?=[:\]])/.exec(message)?.[1];
}

/** The order-system code Kiwoom nests in an order refusal: "[2000](855056:매수증거금이 부족합니다...)" -> '855056'. */
export function kiwoomOrderSystemCode(message: string | undefined): string | undefined {
  return message === undefined ? undefined : /\[2000\]\s*\((\d{6})(?=[:)])/.exec(message)?.[1];
}

/**
 * Fail-safe code of a Kiwoom failure. Accepts a message code string (or 'timeout') or what is known.
 * Order: transport failure with unknown outcome (FS042); an order-system refusal "[2000](nnnnnn:...)" by its
 * nested code, else by its wording (short of cash or holdings: FS041), else as a refusal (FS040); the
 * message code, known (table) or not (FS049, never guessed from the return code: Kiwoom answers
 * return_code 5 both for its rate limit [1700] and for other limits such as [1634], and only 1700 means
 * "wait and send again"); then the return code; then other transport failures and the HTTP status class;
 * else FS049.
 */
export function mapKiwoomErrorToFailSafe(input: string | KiwoomErrorInput): FailSafeCode {
  const error: KiwoomErrorInput =
    typeof input === 'string'
      ? input.trim().toLowerCase() === 'timeout'
        ? { transport: 'timeout' }
        : { messageCode: input }
      : input;
  if (error.transport === 'timeout' || error.transport === 'network') {
    return failSafeForTransport(error.transport);
  }
  const messageCode = error.messageCode?.trim() ?? kiwoomMessageCode(error.message);
  if (messageCode === '2000') {
    const nested = kiwoomOrderSystemCode(error.message);
    const byNested = nested === undefined ? undefined : MESSAGE_CODE_INDEX.get(nested);
    if (byNested !== undefined) {
      return byNested;
    }
    return saysInsufficientFunds(error.message) ? FailSafeCode.FS041 : FailSafeCode.FS040;
  }
  if (messageCode !== undefined && messageCode !== '') {
    return MESSAGE_CODE_INDEX.get(messageCode) ?? FailSafeCode.FS049;
  }
  const returnCode = error.returnCode === undefined ? undefined : String(error.returnCode).trim();
  if (returnCode !== undefined && /^\d{4}$/.test(returnCode)) {
    // Some answers carry the message code as the return_code itself (Kiwoom-REST-API kiwoom/core/client.py).
    return MESSAGE_CODE_INDEX.get(returnCode) ?? FailSafeCode.FS049;
  }
  const byReturnCode = returnCode === undefined ? undefined : RETURN_CODE_INDEX.get(returnCode);
  if (byReturnCode !== undefined) {
    return byReturnCode;
  }
  if (error.transport === 'connection') {
    return failSafeForTransport('connection');
  }
  const condition =
    error.httpStatus === undefined ? undefined : transportConditionOfHttpStatus(error.httpStatus);
  return condition === undefined ? FailSafeCode.FS049 : failSafeForTransport(condition);
}

/** The fail-safe code of a Kiwoom answer with return_code != 0. */
export function kiwoomRefusalCode(returnCode: string, message: string, httpStatus: number): FailSafeCode {
  return mapKiwoomErrorToFailSafe({ returnCode, message, httpStatus });
}
