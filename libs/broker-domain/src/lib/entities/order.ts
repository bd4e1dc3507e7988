import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { OrderStatus } from '../enums/order-status';
import { OrderType } from '../enums/order-type';
import { IllegalOrderTransitionError, InvalidArgumentError } from '../errors/broker-errors';
import { formatDecimal } from '../values/decimal-conversion';
import {
  DecimalInput,
  optionalNonEmptyString,
  optionalPositiveDecimal,
  requireDate,
  requireEnumValue,
  requireNonEmptyString,
  requireNonNegativeSafeInteger,
  requirePositiveSafeInteger,
  requireSymbolCode,
} from './field-guards';
import { canTransition } from './order-transitions';

export interface OrderProps {
  /** Order number assigned by the broker (or by our own system before the broker answered). */
  id: string;
  /** Our idempotency key for the order, used to reconcile unknown outcomes. */
  clientOrderId?: string;
  /** Id of the broker connection the order belongs to (e.g. 'kis'). */
  brokerId?: string;
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  /** Limit price: required for LIMIT, absent for MARKET. */
  price?: DecimalInput;
  status: OrderStatus;
  /** Shares filled so far (default 0). */
  filledQuantity?: number;
  avgFillPrice?: DecimalInput;
  message?: string;
  createdAt: Date;
  /** Default: createdAt. */
  updatedAt?: Date;
}

export interface OrderTransitionPatch {
  filledQuantity?: number;
  avgFillPrice?: Decimal;
  message?: string;
  /** When the change happened; default: now. */
  at?: Date;
}

export interface OrderJson {
  id: string;
  clientOrderId?: string;
  brokerId?: string;
  accountId: string;
  symbol: string;
  side: OrderSide;
  orderType: OrderType;
  quantity: number;
  price?: string;
  status: OrderStatus;
  filledQuantity: number;
  remainingQuantity: number;
  avgFillPrice?: string;
  message?: string;
  createdAt: string;
  updatedAt: string;
}

const ACTIVE_STATUSES: ReadonlySet<OrderStatus> = new Set([
  OrderStatus.PENDING,
  OrderStatus.ACCEPTED,
  OrderStatus.PARTIAL,
]);

/**
 * An order and where it is in its lifecycle. Immutable: `transitionTo` returns a new Order and only
 * along the edges of ORDER_TRANSITIONS, so a late or duplicated broker event can never overwrite a
 * final state silently.
 */
export class Order {
  readonly id: string;
  readonly clientOrderId?: string;
  readonly brokerId?: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly price?: Decimal;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly avgFillPrice?: Decimal;
  readonly message?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;

  constructor(props: OrderProps) {
    this.id = requireNonEmptyString(props.id, 'id');
    this.clientOrderId = optionalNonEmptyString(props.clientOrderId, 'clientOrderId');
    this.brokerId = optionalNonEmptyString(props.brokerId, 'brokerId');
    this.accountId = requireNonEmptyString(props.accountId, 'accountId');
    this.symbol = requireSymbolCode(props.symbol, 'symbol');
    this.side = requireEnumValue(OrderSide, props.side, 'side');
    this.orderType = requireEnumValue(OrderType, props.orderType, 'orderType');
    this.quantity = requirePositiveSafeInteger(props.quantity, 'quantity');
    this.price = optionalPositiveDecimal(props.price, 'price');
    if (this.orderType === OrderType.LIMIT && this.price === undefined) {
      throw new InvalidArgumentError('price is required for a LIMIT order', { field: 'price' });
    }
    if (this.orderType === OrderType.MARKET && this.price !== undefined) {
      throw new InvalidArgumentError('price must be absent for a MARKET order', { field: 'price' });
    }
    this.status = requireEnumValue(OrderStatus, props.status, 'status');
    this.filledQuantity = requireNonNegativeSafeInteger(props.filledQuantity ?? 0, 'filledQuantity');
    if (this.filledQuantity > this.quantity) {
      throw new InvalidArgumentError('filledQuantity must not exceed quantity', { field: 'filledQuantity' });
    }
    if (this.status === OrderStatus.FILLED && this.filledQuantity !== this.quantity) {
      throw new InvalidArgumentError('a FILLED order must have filledQuantity == quantity', {
        field: 'filledQuantity',
      });
    }
    if (
      this.status === OrderStatus.PARTIAL &&
      (this.filledQuantity === 0 || this.filledQuantity === this.quantity)
    ) {
      throw new InvalidArgumentError('a PARTIAL order must have 0 < filledQuantity < quantity', {
        field: 'filledQuantity',
      });
    }
    this.avgFillPrice = optionalPositiveDecimal(props.avgFillPrice, 'avgFillPrice');
    this.message = props.message === undefined ? undefined : String(props.message);
    this.createdAt = requireDate(props.createdAt, 'createdAt');
    this.updatedAt = requireDate(props.updatedAt ?? props.createdAt, 'updatedAt');
    Object.freeze(this);
  }

  get isFilled(): boolean {
    return this.status === OrderStatus.FILLED;
  }

  /** Still working at the broker (or possibly about to be): PENDING, ACCEPTED or PARTIAL. */
  get isActive(): boolean {
    return ACTIVE_STATUSES.has(this.status);
  }

  get remainingQuantity(): number {
    return this.quantity - this.filledQuantity;
  }

  /**
   * Moves the order to `next` and returns the new Order. Throws IllegalOrderTransitionError when the
   * state machine forbids the move or the fill count would go backwards; FILLED without an explicit
   * filledQuantity means the whole quantity.
   */
  transitionTo(next: OrderStatus, patch: OrderTransitionPatch = {}): Order {
    if (!canTransition(this.status, next)) {
      throw new IllegalOrderTransitionError(`order ${this.id} cannot move from ${this.status} to ${next}`, {
        from: this.status,
        to: next,
        details: { orderId: this.id },
      });
    }
    const filledQuantity =
      patch.filledQuantity ?? (next === OrderStatus.FILLED ? this.quantity : this.filledQuantity);
    if (filledQuantity < this.filledQuantity) {
      throw new IllegalOrderTransitionError(
        `order ${this.id} filledQuantity cannot decrease from ${this.filledQuantity} to ${filledQuantity}`,
        { from: this.status, to: next, details: { orderId: this.id } },
      );
    }
    return new Order({
      ...this.toProps(),
      status: next,
      filledQuantity,
      avgFillPrice: patch.avgFillPrice ?? this.avgFillPrice,
      message: patch.message ?? this.message,
      updatedAt: patch.at ?? new Date(),
    });
  }

  toProps(): OrderProps {
    return {
      id: this.id,
      clientOrderId: this.clientOrderId,
      brokerId: this.brokerId,
      accountId: this.accountId,
      symbol: this.symbol,
      side: this.side,
      orderType: this.orderType,
      quantity: this.quantity,
      price: this.price,
      status: this.status,
      filledQuantity: this.filledQuantity,
      avgFillPrice: this.avgFillPrice,
      message: this.message,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  toJSON(): OrderJson {
    return {
      id: this.id,
      ...(this.clientOrderId === undefined ? {} : { clientOrderId: this.clientOrderId }),
      ...(this.brokerId === undefined ? {} : { brokerId: this.brokerId }),
      accountId: this.accountId,
      symbol: this.symbol,
      side: this.side,
      orderType: this.orderType,
      quantity: this.quantity,
      ...(this.price === undefined ? {} : { price: formatDecimal(this.price) }),
      status: this.status,
      filledQuantity: this.filledQuantity,
      remainingQuantity: this.remainingQuantity,
      ...(this.avgFillPrice === undefined ? {} : { avgFillPrice: formatDecimal(this.avgFillPrice) }),
      ...(this.message === undefined ? {} : { message: this.message }),
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}
