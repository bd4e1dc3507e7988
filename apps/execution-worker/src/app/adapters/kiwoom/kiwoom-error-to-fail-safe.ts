import { FailSafeCode } from '@qts/broker-domain';
import {
  failSafeForTransport,
  failSafeIndex,
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

/**
 * Fail-safe code of a Kiwoom failure. Accepts a message code string (or 'timeout') or what is known.
 * Order: transport failure with unknown outcome (FS042); the message code, known (table) or not (FS049,
 * never guessed from the return code: Kiwoom answers return_code 5 both for its rate limit [1700] and
 * for other limits such as [1634], and only 1700 means "wait and send again"); then the return code;
 * then other transport failures and the HTTP status class; else FS049.
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
  if (messageCode !== undefined && messageCode !== '') {
    return MESSAGE_CODE_INDEX.get(messageCode) ?? FailSafeCode.FS049;
  }
  const byReturnCode =
    error.returnCode === undefined ? undefined : RETURN_CODE_INDEX.get(String(error.returnCode).trim());
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
