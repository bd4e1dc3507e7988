import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { OrderType } from '../enums/order-type';
import { isSymbolCode } from '../entities/field-guards';
import { InvalidArgumentError } from '../errors/broker-errors';
import { isOnKrxTick } from '../values/krx-tick-size';
import { EXECUTION_INTENT_ID_LIMITS, MAX_ORDER_QUANTITY, ORDER_PRICE_PATTERN } from '../values/order-limits';
import { ExecutionIntent } from './execution-contracts';

const REQUIRED_IDS = ['intentId', 'strategyId', 'brokerId', 'accountId'] as const;

/** Identifiers are printable: control characters would corrupt logs and reports. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks an intent before it is persisted or turned into an order. Throws InvalidArgumentError naming
 * the first offending field.
 */
export function validateExecutionIntent(intent: ExecutionIntent): void {
  if (intent === null || typeof intent !== 'object') {
    throw new InvalidArgumentError('intent must be an object');
  }
  for (const field of REQUIRED_IDS) {
    const value: unknown = intent[field];
    if (typeof value !== 'string' || value.trim().length === 0) {
      throw invalid(field, `${field} must be a non-empty string`);
    }
    if (value.length > EXECUTION_INTENT_ID_LIMITS[field]) {
      throw invalid(field, `${field} must be at most ${EXECUTION_INTENT_ID_LIMITS[field]} characters (got ${value.length})`);
    }
    if (CONTROL_CHARACTER.test(value)) {
      throw invalid(field, `${field} must not contain control characters`);
    }
  }
  if (!isSymbolCode(intent.symbol)) {
    throw invalid('symbol', "symbol must be a 6-character KRX code such as '005930'");
  }
  if (!Object.values(OrderSide).includes(intent.side)) {
    throw invalid('side', 'side must be BUY or SELL');
  }
  if (!Object.values(OrderType).includes(intent.orderType)) {
    throw invalid('orderType', 'orderType must be MARKET or LIMIT');
  }
  if (typeof intent.quantity !== 'number' || !Number.isSafeInteger(intent.quantity) || intent.quantity <= 0) {
    throw invalid('quantity', 'quantity must be a positive integer');
  }
  if (intent.quantity > MAX_ORDER_QUANTITY) {
    throw invalid('quantity', `quantity must be at most ${MAX_ORDER_QUANTITY}`);
  }
  const limitPrice: unknown = intent.limitPrice;
  if (intent.orderType === OrderType.LIMIT) {
    if (limitPrice === undefined || limitPrice === null) {
      throw invalid('limitPrice', 'limitPrice is required for a LIMIT intent');
    }
    if (!Decimal.isDecimal(limitPrice) || !limitPrice.isFinite() || !limitPrice.greaterThan(0)) {
      throw invalid('limitPrice', 'limitPrice must be a positive finite Decimal');
    }
    if (!ORDER_PRICE_PATTERN.test(limitPrice.toFixed())) {
      throw invalid('limitPrice', 'limitPrice must have at most 15 integer and 8 fraction digits');
    }
    if (!isOnKrxTick(limitPrice)) {
      throw invalid('limitPrice', `limitPrice ${limitPrice.toFixed()} is not on the KRX tick grid`);
    }
  } else if (limitPrice !== undefined && limitPrice !== null) {
    throw invalid('limitPrice', 'limitPrice must be absent for a MARKET intent');
  }
  const createdAt: unknown = intent.createdAt;
  if (createdAt !== undefined && (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime()))) {
    throw invalid('createdAt', 'createdAt must be a valid Date when given');
  }
}

function invalid(field: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(message, { field });
}
