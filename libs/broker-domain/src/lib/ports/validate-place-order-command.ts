import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { OrderType } from '../enums/order-type';
import { isSymbolCode } from '../entities/field-guards';
import { InvalidOrderError } from '../errors/broker-errors';
import { isOnKrxTick } from '../values/krx-tick-size';
import { PlaceOrderCommand } from './broker-gateway';

/**
 * The single definition of a well-formed order command; gateways and the mock call it before anything
 * reaches a broker. Throws InvalidOrderError naming the first offending field.
 */
export function validatePlaceOrderCommand(command: PlaceOrderCommand): void {
  if (command === null || typeof command !== 'object') {
    throw new InvalidOrderError('order command must be an object');
  }
  if (typeof command.accountId !== 'string' || command.accountId.trim().length === 0) {
    throw invalid('accountId', 'accountId must be a non-empty string');
  }
  if (!isSymbolCode(command.symbol)) {
    throw invalid('symbol', "symbol must be a 6-character KRX code such as '005930'");
  }
  if (!Object.values(OrderSide).includes(command.side)) {
    throw invalid('side', 'side must be BUY or SELL');
  }
  if (!Object.values(OrderType).includes(command.orderType)) {
    throw invalid('orderType', 'orderType must be MARKET or LIMIT');
  }
  if (
    typeof command.quantity !== 'number' ||
    !Number.isSafeInteger(command.quantity) ||
    command.quantity <= 0
  ) {
    throw invalid('quantity', 'quantity must be a positive integer');
  }
  if (command.orderType === OrderType.LIMIT) {
    validateLimitPrice(command.price);
  } else if (command.price !== undefined && command.price !== null) {
    throw invalid('price', 'price must be absent for a MARKET order');
  }
  if (
    command.clientOrderId !== undefined &&
    (typeof command.clientOrderId !== 'string' || command.clientOrderId.trim().length === 0)
  ) {
    throw invalid('clientOrderId', 'clientOrderId must be a non-empty string when given');
  }
}

function validateLimitPrice(price: unknown): void {
  if (price === undefined || price === null) {
    throw invalid('price', 'price is required for a LIMIT order');
  }
  if (!Decimal.isDecimal(price) || !price.isFinite()) {
    throw invalid('price', 'price must be a finite Decimal');
  }
  if (!price.greaterThan(0)) {
    throw invalid('price', 'price must be positive');
  }
  if (!isOnKrxTick(price)) {
    throw invalid('price', `price ${price.toFixed()} is not on the KRX tick grid`);
  }
}

function invalid(field: string, message: string): InvalidOrderError {
  return new InvalidOrderError(message, { field });
}
