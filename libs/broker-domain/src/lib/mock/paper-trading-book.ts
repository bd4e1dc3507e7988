import { Decimal } from 'decimal.js';
import { Balance } from '../entities/balance';
import { Order } from '../entities/order';
import { Position } from '../entities/position';
import { Quote } from '../entities/quote';
import { AccountType } from '../enums/account-type';
import { OrderSide } from '../enums/order-side';
import { OrderStatus } from '../enums/order-status';
import { OrderType } from '../enums/order-type';
import {
  AccountNotFoundError,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  OrderNotFoundError,
} from '../errors/broker-errors';
import { PlaceOrderCommand } from '../ports/broker-gateway';
import { formatDecimal, toDecimal } from '../values/decimal-conversion';

export interface PaperAccountOptions {
  id: string;
  type?: AccountType;
  /** Starting cash in KRW. */
  initialCash?: Decimal.Value;
}

export interface PaperAccountSummary {
  id: string;
  type: AccountType;
}

interface Holding {
  quantity: number;
  /** Shares promised to open sell orders. */
  reservedQuantity: number;
  avgPrice: Decimal;
}

interface PaperAccount {
  id: string;
  type: AccountType;
  cash: Decimal;
  /** Cash promised to open buy orders (limit price x quantity). */
  reservedCash: Decimal;
  holdings: Map<string, Holding>;
}

interface OpenOrder {
  reservedCash: Decimal;
  reservedQuantity: number;
}

/** Average prices are kept to 4 decimal places, like KIS's pchs_avg_pric. */
const AVG_PRICE_DECIMALS = 4;

export const DEFAULT_PAPER_ACCOUNT_ID = 'MOCK-001';
export const DEFAULT_PAPER_CASH = '100000000';

/**
 * Cash, holdings and orders of the mock's paper accounts, and the matching rules:
 * - MARKET buys fill at the ask, MARKET sells at the bid, in full, at once;
 * - LIMIT orders fill in full at the ask (buy) / bid (sell) as soon as that is at or better than the
 *   limit, otherwise they rest (ACCEPTED) until `match` sees a quote that crosses;
 * - like a real broker, a resting buy reserves limit x quantity of cash and a resting sell reserves the
 *   shares, so orders can never overspend cash or oversell holdings;
 * - no fees, taxes, partial fills, price limits or auction phases.
 * Everything here is synchronous: a placement is decided before any other call can interleave.
 */
export class PaperTradingBook {
  private readonly accounts = new Map<string, PaperAccount>();
  private readonly orders = new Map<string, Order>();
  private readonly open = new Map<string, OpenOrder>();
  private readonly byClientOrderId = new Map<string, string>();
  private sequence = 0;

  constructor(
    accounts: readonly PaperAccountOptions[],
    private readonly brokerId: string,
    private readonly clock: () => Date,
  ) {
    if (accounts.length === 0) {
      throw new InvalidArgumentError('at least one paper account is required', { field: 'accounts' });
    }
    for (const options of accounts) {
      if (this.accounts.has(options.id)) {
        throw new InvalidArgumentError(`duplicate account id '${options.id}'`, { field: 'accounts.id' });
      }
      this.openAccount(options);
    }
  }

  /**
   * Opens an account (as a broker does when a customer opens one); an account that exists is left as it is.
   * Returns whether it was opened now.
   */
  openAccount(options: PaperAccountOptions): boolean {
    if (typeof options.id !== 'string' || options.id.trim().length === 0) {
      throw new InvalidArgumentError('account id must be a non-empty string', { field: 'accounts.id' });
    }
    if (this.accounts.has(options.id)) return false;
    const cash = toDecimal(options.initialCash ?? DEFAULT_PAPER_CASH, 'accounts.initialCash');
    if (cash.isNegative() && !cash.isZero()) {
      throw new InvalidArgumentError('initialCash must not be negative', { field: 'accounts.initialCash' });
    }
    this.accounts.set(options.id, {
      id: options.id,
      type: options.type ?? AccountType.PAPER,
      cash,
      reservedCash: new Decimal(0),
      holdings: new Map(),
    });
    return true;
  }

  listAccounts(): PaperAccountSummary[] {
    return [...this.accounts.values()].map(({ id, type }) => ({ id, type }));
  }

  requireAccount(accountId: string): void {
    this.account(accountId);
  }

  /** totalEquity = cash + holdings at `priceOf`; buyingPower = cash not reserved by open buy orders. */
  balance(accountId: string, priceOf: (symbol: string) => Decimal): Balance {
    const account = this.account(accountId);
    let equity = account.cash;
    for (const [symbol, holding] of account.holdings) {
      equity = equity.plus(priceOf(symbol).times(holding.quantity));
    }
    return new Balance({
      accountId,
      totalEquity: equity,
      cashBalance: account.cash,
      buyingPower: account.cash.minus(account.reservedCash),
    });
  }

  positions(
    accountId: string,
    priceOf: (symbol: string) => Decimal,
    nameOf: (symbol: string) => string,
  ): Position[] {
    const account = this.account(accountId);
    return [...account.holdings].map(
      ([symbol, holding]) =>
        new Position({
          accountId,
          symbol,
          symbolName: nameOf(symbol),
          quantity: holding.quantity,
          avgPrice: holding.avgPrice,
          currentPrice: priceOf(symbol),
        }),
    );
  }

  /** Symbols held by an account (their prices are needed for balances). */
  heldSymbols(accountId: string): string[] {
    return [...this.account(accountId).holdings.keys()];
  }

  /** Symbols with resting orders. */
  symbolsWithOpenOrders(): string[] {
    return [...new Set([...this.open.keys()].map((id) => (this.orders.get(id) as Order).symbol))];
  }

  findByClientOrderId(clientOrderId: string): Order | null {
    const id = this.byClientOrderId.get(clientOrderId);
    return id === undefined ? null : (this.orders.get(id) ?? null);
  }

  get(orderId: string): Order {
    const order = this.orders.get(orderId);
    if (order === undefined) {
      throw new OrderNotFoundError(`order '${orderId}' not found`, { details: { orderId } });
    }
    return order;
  }

  list(accountId?: string): Order[] {
    const all = [...this.orders.values()];
    return accountId === undefined ? all : all.filter((order) => order.accountId === accountId);
  }

  /**
   * The order already placed under the command's clientOrderId, or null. Reusing a clientOrderId for a
   * different order throws InvalidOrderError rather than silently returning the first one.
   */
  replay(command: PlaceOrderCommand): Order | null {
    if (command.clientOrderId === undefined) {
      return null;
    }
    const existing = this.findByClientOrderId(command.clientOrderId);
    if (existing !== null) {
      assertSameOrder(existing, command);
    }
    return existing;
  }

  /**
   * Places a validated command against the current quote. The same clientOrderId always yields the
   * first order (reusing it for a different order is refused).
   */
  place(command: PlaceOrderCommand, quote: Quote): Order {
    const existing = this.replay(command);
    if (existing !== null) {
      return existing;
    }
    const account = this.account(command.accountId);
    const now = this.clock();
    const pending = new Order({
      id: `MOCK-${String(this.sequence + 1).padStart(7, '0')}`,
      clientOrderId: command.clientOrderId,
      brokerId: this.brokerId,
      accountId: command.accountId,
      symbol: command.symbol,
      side: command.side,
      orderType: command.orderType,
      quantity: command.quantity,
      price: command.price,
      status: OrderStatus.PENDING,
      createdAt: now,
    });
    const accepted = pending.transitionTo(OrderStatus.ACCEPTED, { at: now, message: 'accepted' });
    // Reserve last: a refused order consumes neither an order number nor any cash.
    const reservation = this.reserve(account, command, quote);
    this.sequence += 1;
    this.store(accepted);
    this.open.set(pending.id, reservation);
    if (command.clientOrderId !== undefined) {
      this.byClientOrderId.set(command.clientOrderId, pending.id);
    }
    this.tryFill(pending.id, quote);
    return this.get(pending.id);
  }

  /** Fills every resting order on the quote's symbol that the quote crosses. */
  match(quote: Quote): void {
    for (const orderId of [...this.open.keys()]) {
      if ((this.orders.get(orderId) as Order).symbol === quote.symbol) {
        this.tryFill(orderId, quote);
      }
    }
  }

  cancel(orderId: string): Order {
    const order = this.get(orderId);
    const reservation = this.open.get(orderId);
    if (reservation === undefined || !order.isActive) {
      throw new InvalidOrderError(`order '${orderId}' is ${order.status} and cannot be cancelled`, {
        field: 'orderId',
        details: { orderId, status: order.status },
      });
    }
    this.release(order, reservation);
    const cancelled = order.transitionTo(OrderStatus.CANCELLED, { at: this.clock(), message: 'cancelled' });
    this.store(cancelled);
    return cancelled;
  }

  private reserve(account: PaperAccount, command: PlaceOrderCommand, quote: Quote): OpenOrder {
    if (command.side === OrderSide.BUY) {
      // A resting buy holds its worst case; a market buy needs the ask now.
      const unitPrice = command.orderType === OrderType.LIMIT ? (command.price as Decimal) : quote.ask;
      const required = unitPrice.times(command.quantity);
      const available = account.cash.minus(account.reservedCash);
      if (available.lessThan(required)) {
        throw new InsufficientFundsError(
          `insufficient buying power: ${formatDecimal(required)} KRW required, ${formatDecimal(available)} KRW available`,
          {
            details: {
              accountId: account.id,
              required: formatDecimal(required),
              available: formatDecimal(available),
            },
          },
        );
      }
      account.reservedCash = account.reservedCash.plus(required);
      return { reservedCash: required, reservedQuantity: 0 };
    }
    const holding = account.holdings.get(command.symbol);
    const available = holding === undefined ? 0 : holding.quantity - holding.reservedQuantity;
    if (holding === undefined || available < command.quantity) {
      // Selling shares one does not hold is a broker business-rule refusal (FS041), not malformed input.
      throw new InsufficientFundsError(
        `insufficient holdings of ${command.symbol}: ${command.quantity} to sell, ${available} available`,
        {
          details: { accountId: account.id, symbol: command.symbol, requested: command.quantity, available },
        },
      );
    }
    holding.reservedQuantity += command.quantity;
    return { reservedCash: new Decimal(0), reservedQuantity: command.quantity };
  }

  private tryFill(orderId: string, quote: Quote): void {
    const order = this.orders.get(orderId) as Order;
    const reservation = this.open.get(orderId);
    if (reservation === undefined || quote.symbol !== order.symbol) {
      return;
    }
    const fillPrice = order.side === OrderSide.BUY ? quote.ask : quote.bid;
    if (!fillPrice.greaterThan(0)) {
      return;
    }
    if (order.orderType === OrderType.LIMIT) {
      const limit = order.price as Decimal;
      const crosses =
        order.side === OrderSide.BUY
          ? fillPrice.lessThanOrEqualTo(limit)
          : fillPrice.greaterThanOrEqualTo(limit);
      if (!crosses) {
        return;
      }
    }
    const account = this.accounts.get(order.accountId) as PaperAccount;
    this.release(order, reservation);
    this.settle(account, order, fillPrice);
    const filled = order.transitionTo(OrderStatus.FILLED, {
      filledQuantity: order.quantity,
      avgFillPrice: fillPrice,
      at: this.clock(),
      message: `filled ${order.quantity} @ ${formatDecimal(fillPrice)}`,
    });
    this.store(filled);
  }

  private settle(account: PaperAccount, order: Order, price: Decimal): void {
    const amount = price.times(order.quantity);
    const holding = account.holdings.get(order.symbol);
    if (order.side === OrderSide.BUY) {
      account.cash = account.cash.minus(amount);
      if (holding === undefined) {
        account.holdings.set(order.symbol, {
          quantity: order.quantity,
          reservedQuantity: 0,
          avgPrice: price,
        });
      } else {
        const quantity = holding.quantity + order.quantity;
        holding.avgPrice = holding.avgPrice
          .times(holding.quantity)
          .plus(amount)
          .dividedBy(quantity)
          .toDecimalPlaces(AVG_PRICE_DECIMALS, Decimal.ROUND_HALF_UP);
        holding.quantity = quantity;
      }
      return;
    }
    account.cash = account.cash.plus(amount);
    const remaining = (holding as Holding).quantity - order.quantity;
    if (remaining === 0) {
      account.holdings.delete(order.symbol);
    } else {
      (holding as Holding).quantity = remaining;
    }
  }

  private release(order: Order, reservation: OpenOrder): void {
    const account = this.accounts.get(order.accountId) as PaperAccount;
    account.reservedCash = account.reservedCash.minus(reservation.reservedCash);
    const holding = account.holdings.get(order.symbol);
    if (holding !== undefined) {
      holding.reservedQuantity -= reservation.reservedQuantity;
    }
    this.open.delete(order.id);
  }

  private store(order: Order): void {
    this.orders.set(order.id, order);
  }

  private account(accountId: string): PaperAccount {
    const account = this.accounts.get(accountId);
    if (account === undefined) {
      throw new AccountNotFoundError(`account '${accountId}' not found`, { details: { accountId } });
    }
    return account;
  }
}

function assertSameOrder(existing: Order, command: PlaceOrderCommand): void {
  const samePrice =
    existing.price === undefined
      ? command.price === undefined
      : command.price !== undefined && existing.price.equals(command.price);
  const same =
    existing.accountId === command.accountId &&
    existing.symbol === command.symbol &&
    existing.side === command.side &&
    existing.orderType === command.orderType &&
    existing.quantity === command.quantity &&
    samePrice;
  if (!same) {
    throw new InvalidOrderError(
      `clientOrderId '${command.clientOrderId}' was already used for a different order`,
      {
        field: 'clientOrderId',
        details: { clientOrderId: command.clientOrderId, orderId: existing.id },
      },
    );
  }
}
