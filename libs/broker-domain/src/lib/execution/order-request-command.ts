import { InvalidOrderError } from '../errors/broker-errors';
import type { PlaceOrderCommand } from '../ports/broker-gateway';
import { validatePlaceOrderCommand } from '../ports/validate-place-order-command';
import type { OrderRequest } from './execution-contracts';

/**
 * The domain command of an order request, validated by the domain's single definition of a well-formed
 * order (symbol, side, type, positive integer quantity, LIMIT price on the KRX tick grid, none for
 * MARKET). Every adapter builds its payload from this, so all of them accept and refuse the same orders.
 */
export function orderRequestToCommand(request: OrderRequest): PlaceOrderCommand {
  if (request === null || typeof request !== 'object') {
    throw new InvalidOrderError('order request must be an object');
  }
  if (typeof request.clientOrderId !== 'string' || request.clientOrderId.trim().length === 0) {
    throw new InvalidOrderError('clientOrderId must be a non-empty string', { field: 'clientOrderId' });
  }
  const command: PlaceOrderCommand = {
    accountId: request.accountId,
    symbol: request.symbol,
    side: request.side,
    orderType: request.orderType,
    quantity: request.quantity,
    ...(request.price === undefined ? {} : { price: request.price }),
    clientOrderId: request.clientOrderId,
  };
  validatePlaceOrderCommand(command);
  return command;
}

/** An adapter only sends orders addressed to its own broker id. */
export function requireOrderForBroker(request: OrderRequest, brokerId: string): void {
  if (request.brokerId !== brokerId) {
    throw new InvalidOrderError(
      `order for broker '${request.brokerId}' sent to the adapter of '${brokerId}'`,
      {
        field: 'brokerId',
      },
    );
  }
}
