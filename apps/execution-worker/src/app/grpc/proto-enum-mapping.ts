import { OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { qtsTypeV1 } from '@qts/grpc-contracts';

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
