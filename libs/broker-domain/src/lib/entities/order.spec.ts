import { Decimal } from 'decimal.js';
import { OrderSide } from '../enums/order-side';
import { isFinalOrderStatus, OrderStatus } from '../enums/order-status';
import { OrderType } from '../enums/order-type';
import { IllegalOrderTransitionError, InvalidArgumentError } from '../errors/broker-errors';
import { Order, OrderProps } from './order';
import { canTransition, ORDER_TRANSITIONS } from './order-transitions';

const ALL = Object.values(OrderStatus);
const CREATED = new Date('2024-01-02T00:00:00Z');

const LEGAL: Record<OrderStatus, OrderStatus[]> = {
  PENDING: ['ACCEPTED', 'REJECTED', 'FILLED', 'PARTIAL', 'UNKNOWN'] as OrderStatus[],
  ACCEPTED: ['PARTIAL', 'FILLED', 'CANCELLED', 'REJECTED'] as OrderStatus[],
  PARTIAL: ['PARTIAL', 'FILLED', 'CANCELLED'] as OrderStatus[],
  UNKNOWN: ['ACCEPTED', 'PARTIAL', 'FILLED', 'CANCELLED', 'REJECTED'] as OrderStatus[],
  FILLED: [],
  CANCELLED: [],
  REJECTED: [],
};

function limitOrder(overrides: Partial<OrderProps> = {}): Order {
  return new Order({
    id: 'ORD-1',
    clientOrderId: 'intent-1',
    brokerId: 'kis',
    accountId: '50012345-01',
    symbol: '005930',
    side: OrderSide.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10,
    price: new Decimal('70000'),
    status: OrderStatus.PENDING,
    createdAt: CREATED,
    ...overrides,
  });
}

/** An order sitting in `status` with a fill count that status allows. */
function orderIn(status: OrderStatus): Order {
  const filledQuantity = status === OrderStatus.FILLED ? 10 : status === OrderStatus.PARTIAL ? 4 : 0;
  return limitOrder({ status, filledQuantity });
}

/** A fill count valid for the target status, never below the current one. */
function fillFor(from: Order, to: OrderStatus): number {
  if (to === OrderStatus.FILLED) return from.quantity;
  if (to === OrderStatus.PARTIAL) return Math.max(from.filledQuantity + 1, 4);
  return from.filledQuantity;
}

describe('ORDER_TRANSITIONS', () => {
  it('is exactly the documented table', () => {
    expect(ORDER_TRANSITIONS).toEqual(LEGAL);
  });

  it('allows nothing out of a final state', () => {
    for (const status of ALL.filter(isFinalOrderStatus)) {
      expect(ORDER_TRANSITIONS[status]).toEqual([]);
    }
  });

  it('cannot be modified at runtime', () => {
    expect(Object.isFrozen(ORDER_TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(ORDER_TRANSITIONS.PENDING)).toBe(true);
  });
});

describe('Order.transitionTo: the full matrix', () => {
  const matrix = ALL.flatMap((from) => ALL.map((to) => [from, to, LEGAL[from].includes(to)] as const));

  it.each(matrix)('%s -> %s legal: %s', (from, to, legal) => {
    expect(canTransition(from, to)).toBe(legal);
    const order = orderIn(from);
    const move = () =>
      order.transitionTo(to, { filledQuantity: fillFor(order, to), at: new Date('2024-01-02T01:00:00Z') });
    if (legal) {
      const next = move();
      expect(next.status).toBe(to);
      expect(next).not.toBe(order);
      expect(order.status).toBe(from);
    } else {
      expect(move).toThrow(IllegalOrderTransitionError);
    }
  });

  it('reports the refused move', () => {
    try {
      orderIn(OrderStatus.FILLED).transitionTo(OrderStatus.CANCELLED);
      throw new Error('expected a throw');
    } catch (error) {
      const illegal = error as IllegalOrderTransitionError;
      expect(illegal.code).toBe('ILLEGAL_ORDER_TRANSITION');
      expect(illegal.from).toBe(OrderStatus.FILLED);
      expect(illegal.to).toBe(OrderStatus.CANCELLED);
      expect(illegal.details).toEqual({ orderId: 'ORD-1' });
    }
  });
});

describe('Order fills', () => {
  it('records partial fills, then the full fill with its average price', () => {
    const accepted = limitOrder().transitionTo(OrderStatus.ACCEPTED, {
      at: new Date('2024-01-02T00:00:01Z'),
    });
    const partial = accepted.transitionTo(OrderStatus.PARTIAL, {
      filledQuantity: 3,
      avgFillPrice: new Decimal('69900'),
      at: new Date('2024-01-02T00:01:00Z'),
    });
    expect(partial.remainingQuantity).toBe(7);
    expect(partial.isActive).toBe(true);
    const more = partial.transitionTo(OrderStatus.PARTIAL, { filledQuantity: 8 });
    expect(more.filledQuantity).toBe(8);
    const filled = more.transitionTo(OrderStatus.FILLED, {
      avgFillPrice: new Decimal('69950'),
      message: 'done',
    });
    expect(filled.filledQuantity).toBe(10);
    expect(filled.isFilled).toBe(true);
    expect(filled.isActive).toBe(false);
    expect(filled.remainingQuantity).toBe(0);
    expect(filled.avgFillPrice?.toFixed()).toBe('69950');
    expect(filled.message).toBe('done');
    expect(filled.createdAt.getTime()).toBe(CREATED.getTime());
  });

  it('never lets the fill count decrease', () => {
    const partial = orderIn(OrderStatus.PARTIAL);
    expect(() => partial.transitionTo(OrderStatus.PARTIAL, { filledQuantity: 3 })).toThrow(
      IllegalOrderTransitionError,
    );
    expect(() => partial.transitionTo(OrderStatus.CANCELLED, { filledQuantity: 0 })).toThrow(
      IllegalOrderTransitionError,
    );
  });

  it('never lets the fill count exceed the quantity', () => {
    const partial = orderIn(OrderStatus.PARTIAL);
    expect(() => partial.transitionTo(OrderStatus.PARTIAL, { filledQuantity: 11 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('refuses FILLED with less than the whole quantity, and PARTIAL with none or all', () => {
    const accepted = orderIn(OrderStatus.ACCEPTED);
    expect(() => accepted.transitionTo(OrderStatus.FILLED, { filledQuantity: 9 })).toThrow(/FILLED/);
    expect(() => accepted.transitionTo(OrderStatus.PARTIAL, { filledQuantity: 0 })).toThrow(/PARTIAL/);
    expect(() => accepted.transitionTo(OrderStatus.PARTIAL, { filledQuantity: 10 })).toThrow(/PARTIAL/);
  });

  it('keeps earlier fills when an order is cancelled', () => {
    const cancelled = orderIn(OrderStatus.PARTIAL).transitionTo(OrderStatus.CANCELLED, {
      message: 'user cancel',
    });
    expect(cancelled.filledQuantity).toBe(4);
    expect(cancelled.remainingQuantity).toBe(6);
    expect(cancelled.isActive).toBe(false);
  });

  it('stamps the transition time, defaulting to now', () => {
    jest.useFakeTimers({ now: new Date('2024-05-01T03:00:00Z') });
    try {
      expect(orderIn(OrderStatus.PENDING).transitionTo(OrderStatus.ACCEPTED).updatedAt.toISOString()).toBe(
        '2024-05-01T03:00:00.000Z',
      );
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('Order construction', () => {
  it('is active while PENDING, ACCEPTED or PARTIAL', () => {
    expect(ALL.filter((status) => orderIn(status).isActive)).toEqual(['PENDING', 'ACCEPTED', 'PARTIAL']);
  });

  it('defaults filledQuantity to 0 and updatedAt to createdAt', () => {
    const order = limitOrder();
    expect(order.filledQuantity).toBe(0);
    expect(order.updatedAt.getTime()).toBe(CREATED.getTime());
    expect(Object.isFrozen(order)).toBe(true);
  });

  it('renders decimals as strings, dates as ISO UTC, and omits absent fields', () => {
    expect(limitOrder().toJSON()).toEqual({
      id: 'ORD-1',
      clientOrderId: 'intent-1',
      brokerId: 'kis',
      accountId: '50012345-01',
      symbol: '005930',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 10,
      price: '70000',
      status: 'PENDING',
      filledQuantity: 0,
      remainingQuantity: 10,
      createdAt: '2024-01-02T00:00:00.000Z',
      updatedAt: '2024-01-02T00:00:00.000Z',
    });
    const market = limitOrder({
      orderType: OrderType.MARKET,
      price: undefined,
      clientOrderId: undefined,
      brokerId: undefined,
      status: OrderStatus.FILLED,
      filledQuantity: 10,
      avgFillPrice: '70100',
      message: 'filled',
    }).toJSON();
    expect(market).not.toHaveProperty('price');
    expect(market).not.toHaveProperty('clientOrderId');
    expect(market.avgFillPrice).toBe('70100');
    expect(market.message).toBe('filled');
  });

  it.each([
    ['id', { id: '' }],
    ['clientOrderId', { clientOrderId: '' }],
    ['accountId', { accountId: '  ' }],
    ['symbol', { symbol: '5930' }],
    ['side', { side: 'HOLD' as OrderSide }],
    ['orderType', { orderType: 'STOP' as OrderType }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: 1.5 }],
    ['price', { price: undefined }],
    ['price', { price: new Decimal(0) }],
    ['price', { orderType: OrderType.MARKET }],
    ['status', { status: 'DONE' as OrderStatus }],
    ['filledQuantity', { filledQuantity: -1 }],
    ['filledQuantity', { filledQuantity: 11 }],
    ['filledQuantity', { status: OrderStatus.FILLED, filledQuantity: 5 }],
    ['avgFillPrice', { avgFillPrice: '0' }],
    ['createdAt', { createdAt: new Date(Number.NaN) }],
    ['updatedAt', { updatedAt: new Date(Number.NaN) }],
  ])('rejects a bad %s', (field, override) => {
    try {
      limitOrder(override);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });
});
