import { OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import type { PendingReason } from '../processing/pending-reason';

/** Domain -> qts.type.v1 enums. The generated enums use the domain names without the proto prefix. */
export function protoOrderStatus(status: OrderStatus | undefined): qtsTypeV1.OrderStatus {
  return status === undefined ? qtsTypeV1.OrderStatus.UNSPECIFIED : qtsTypeV1.OrderStatus[status];
}

export function protoOrderSide(side: OrderSide): qtsTypeV1.OrderSide {
  return qtsTypeV1.OrderSide[side];
}

export function protoOrderType(orderType: OrderType): qtsTypeV1.OrderType {
  return qtsTypeV1.OrderType[orderType];
}

/** Worker -> qts.execution.v1.PendingReason (same names without the proto prefix); none: UNSPECIFIED. */
export function protoPendingReason(reason: PendingReason | undefined): qtsExecutionV1.PendingReason {
  return reason === undefined ? qtsExecutionV1.PendingReason.UNSPECIFIED : qtsExecutionV1.PendingReason[reason];
}
