import { ExecutionResponse, FailSafeCode, isFailSafeCode } from '@qts/broker-domain';
import { failSafeRuleOf } from '@qts/broker-rest';

/** How one answer of the wrapped engine counts for the consecutive-failure guard. */
export type BrokerOutcome = 'success' | 'failure' | 'neutral';

/**
 * Accepted (and not a dry run) -> success. Refused with a fail-safe code the table marks as a broker or
 * transport failure (FS042-FS045, FS049, or no valid code at all) -> failure. Business refusals of a
 * working broker (FS040, FS041, FS048), refusals made before anything was sent that say nothing about the
 * broker (no rate-limit permit in time, FS043 raised here; an expired intent, FS050) and dry runs -> neutral:
 * they neither trip nor clear the guard.
 */
export function classifyBrokerOutcome(response: ExecutionResponse): BrokerOutcome {
  if (response.dryRun === true || response.refusedBeforeSending === true) {
    return 'neutral';
  }
  if (response.accepted) {
    return 'success';
  }
  const code = isFailSafeCode(response.failSafeCode) ? response.failSafeCode : FailSafeCode.FS049;
  return failSafeRuleOf(code).countsTowardGuard ? 'failure' : 'neutral';
}
