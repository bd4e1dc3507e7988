import { FailSafeCode } from '@qts/broker-domain';
import {
  failSafeForTransport,
  failSafeIndex,
  saysInsufficientFunds,
  transportConditionOfHttpStatus,
} from '../fail-safe/broker-fail-safe-table';

/** KIS msg_cd (and 'timeout') -> fail-safe code, read from BROKER_FAIL_SAFE_TABLE. */
export const KIS_ERROR_TO_SAFETY: Readonly<Record<string, FailSafeCode>> = Object.freeze({
  ...Object.fromEntries(failSafeIndex((rule) => rule.kisMessageCodes)),
  timeout: failSafeForTransport('timeout'),
});

/** What is known about a failed KIS call. */
export interface KisErrorInput {
  /** msg_cd of an answer with rt_cd != "0". */
  msgCode?: string;
  /** msg1 of that answer: read when the msg_cd is not in the table. */
  message?: string;
  httpStatus?: number;
  /** Set when no HTTP answer was read. */
  transport?: 'timeout' | 'network' | 'connection';
}

/**
 * Fail-safe code of a KIS failure. Accepts a msg_cd string (or 'timeout', any case) or what is known
 * about the call. Order: a transport failure that leaves the outcome unknown (FS042); a known msg_cd; an
 * unknown msg_cd whose msg1 says the cash or holdings are short (FS041); other transport failures (FS044);
 * the HTTP status class (401/403 FS045, 429 FS043, 5xx FS044); anything else FS049. KIS answers EGW00201
 * with HTTP 500, so the msg_cd must win over the status.
 */
export function mapKisErrorToFailSafe(input: string | KisErrorInput): FailSafeCode {
  const error: KisErrorInput = typeof input === 'string' ? fromCode(input) : input;
  if (error.transport === 'timeout' || error.transport === 'network') {
    return failSafeForTransport(error.transport);
  }
  const byCode = error.msgCode === undefined ? undefined : KIS_MESSAGE_INDEX.get(error.msgCode.trim());
  if (byCode !== undefined) {
    return byCode;
  }
  if (saysInsufficientFunds(error.message)) {
    return FailSafeCode.FS041;
  }
  if (error.transport === 'connection') {
    return failSafeForTransport('connection');
  }
  const condition =
    error.httpStatus === undefined ? undefined : transportConditionOfHttpStatus(error.httpStatus);
  return condition === undefined ? FailSafeCode.FS049 : failSafeForTransport(condition);
}

const KIS_MESSAGE_INDEX = failSafeIndex((rule) => rule.kisMessageCodes);

function fromCode(code: string): KisErrorInput {
  return code.trim().toLowerCase() === 'timeout' ? { transport: 'timeout' } : { msgCode: code };
}

/** The fail-safe code of a KIS answer with rt_cd != "0". */
export function kisRefusalCode(msgCode: string, message: string, httpStatus: number): FailSafeCode {
  return mapKisErrorToFailSafe({ msgCode, message, httpStatus });
}
