import { status, type StatusObject } from '@grpc/grpc-js';
import { isBrokerError, BROKER_ERROR_CODES, InvalidArgumentError } from '@qts/broker-domain';
import { IntentConflictError } from '../processing/intent-conflict-error';
import { IntentNotPersistedError } from '../processing/intent-not-persisted-error';
import { WorkerStoppingError } from '../processing/worker-stopping-error';
import { withProtoFieldName } from './proto-field-names';

export type GrpcErrorStatus = Pick<StatusObject, 'code' | 'details'>;

/**
 * THE mapping of a failed ExecutionService call to a gRPC status (proto/qts/execution/v1/execution.proto):
 * malformed request -> INVALID_ARGUMENT naming the field; unknown broker or account, unknown intent -> NOT_FOUND;
 * a known intent id with another payload -> ALREADY_EXISTS; database unavailable -> UNAVAILABLE (nothing was sent,
 * submit again). Anything else is INTERNAL with a fixed message: internal texts never reach clients.
 */
export function grpcStatusForError(error: unknown): GrpcErrorStatus {
  if (error instanceof InvalidArgumentError) {
    return { code: status.INVALID_ARGUMENT, details: withProtoFieldName(error.message, error.field) };
  }
  if (error instanceof IntentConflictError) {
    return { code: status.ALREADY_EXISTS, details: error.message };
  }
  if (error instanceof IntentNotPersistedError || error instanceof WorkerStoppingError) {
    return { code: status.UNAVAILABLE, details: error.message };
  }
  if (isBrokerError(error)) {
    switch (error.code) {
      case BROKER_ERROR_CODES.BROKER_NOT_FOUND:
      case BROKER_ERROR_CODES.ACCOUNT_NOT_FOUND:
      case BROKER_ERROR_CODES.ORDER_NOT_FOUND:
        return { code: status.NOT_FOUND, details: error.message };
      case BROKER_ERROR_CODES.INVALID_ARGUMENT:
      case BROKER_ERROR_CODES.INVALID_ORDER:
        return { code: status.INVALID_ARGUMENT, details: error.message };
    }
  }
  return { code: status.INTERNAL, details: 'internal error of the execution worker' };
}
