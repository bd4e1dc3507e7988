import { status } from '@grpc/grpc-js';
import type { LeaseOutcome } from '@qts/rate-limit';
import { isGrpcServiceError } from '../errors/grpc-service-error';

/**
 * How a call that failed ended, for its rate-limit lease. Statuses grpc-js makes up on this side
 * (deadline passed, cancelled, connection trouble, protocol errors) mean no answer came: the request
 * may still reach the broker, so it is `abandoned`. Any other status was sent by the server, and
 * anything that is not a gRPC error was raised after the answer arrived (mapping): `answered`.
 */
export function leaseOutcomeOf(error: unknown): LeaseOutcome {
  if (!isGrpcServiceError(error)) return 'answered';
  return NO_ANSWER.has(error.code) ? 'abandoned' : 'answered';
}

const NO_ANSWER: ReadonlySet<number> = new Set([
  status.DEADLINE_EXCEEDED,
  status.CANCELLED,
  status.UNAVAILABLE,
  status.UNKNOWN,
  status.INTERNAL,
]);
