import { Decimal } from 'decimal.js';
import { Order } from '../entities/order';
import { AccountType } from '../enums/account-type';
import { BrokerType } from '../enums/broker-type';
import { OrderSide } from '../enums/order-side';
import { OrderStatus } from '../enums/order-status';
import { OrderType } from '../enums/order-type';
import {
  AccountNotFoundError,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  OrderNotFoundError,
  SymbolNotFoundError,
} from '../errors/broker-errors';
import { PlaceOrderCommand } from '../ports/broker-gateway';
import { MockBrokerGateway, MockBrokerGatewayOptions } from './mock-broker-gateway';

const ACCOUNT = 'MOCK-001';
const OPEN = new Date('2024-03-05T00:30:00Z'); // Tuesday 09:30 KST
const MINUTE = 60_000;

/** A gateway under test plus an order-free twin with the same seed: the market as it is. */
function setup(options: MockBrokerGatewayOptions = {}) {
  let now = OPEN;
  const clock = () => now;
  const gateway = new MockBrokerGateway({ clock, ...options });
  const market = new MockBrokerGateway({ clock });
  return {
    gateway,
    market,
    setTime: (time: Date) => {
      now = time;
    },
    now: () => now,
  };
}

const marketBuy = (
  symbol: string,
  quantity: number,
  extra: Partial<PlaceOrderCommand> = {},
): PlaceOrderCommand => ({
  accountId: ACCOUNT,
  symbol,
  side: OrderSide.BUY,
  orderType: OrderType.MARKET,
  quantity,
  ...extra,
});

const marketSell = (symbol: string, quantity: number): PlaceOrderCommand => ({
  ...marketBuy(symbol, quantity),
  side: OrderSide.SELL,
});

const limit = (side: OrderSide, symbol: string, quantity: number, price: Decimal): PlaceOrderCommand => ({
  accountId: ACCOUNT,
  symbol,
  side,
  orderType: OrderType.LIMIT,
  quantity,
  price,
});

/** First minute after `from`, within three sessions, at which the market satisfies `crosses`. */
async function firstCrossing(
  market: MockBrokerGateway,
  setTime: (time: Date) => void,
  symbol: string,
  from: Date,
  crosses: (bid: Decimal, ask: Decimal) => boolean,
): Promise<Date> {
  for (let step = 1; step <= 3 * 24 * 60; step += 1) {
    const time = new Date(from.getTime() + step * MINUTE);
    setTime(time);
    const quote = await market.getQuote(symbol);
    if (crosses(quote.bid, quote.ask)) {
      return time;
    }
  }
  throw new Error('the market never crossed: pick another scenario');
}

describe('MockBrokerGateway paper accounts', () => {
  it('starts with one PAPER account holding 100,000,000 KRW', async () => {
    const { gateway } = setup();
    const balance = await gateway.getBalance(ACCOUNT);
    expect(balance.cashBalance.toFixed()).toBe('100000000');
    expect(balance.totalEquity.toFixed()).toBe('100000000');
    expect(balance.buyingPower.toFixed()).toBe('100000000');
    expect(balance.currency).toBe('KRW');
    expect(await gateway.getPositions(ACCOUNT)).toEqual([]);
    expect(gateway.getAccounts()).toEqual([
      { id: 'MOCK-001', name: 'Mock paper account MOCK-001', type: AccountType.PAPER, isDefault: true },
    ]);
    expect(gateway.brokerId).toBe('mock');
    expect(gateway.brokerType).toBe(BrokerType.KIS);
  });

  it('supports several accounts with their own cash', async () => {
    const { gateway } = setup({
      brokerId: 'kis-mock',
      accounts: [
        { id: 'A-1', initialCash: '5000000' },
        { id: 'R-1', type: AccountType.REAL, initialCash: new Decimal(0) },
      ],
    });
    expect((await gateway.getBalance('A-1')).cashBalance.toFixed()).toBe('5000000');
    expect((await gateway.getBalance('R-1')).cashBalance.toFixed()).toBe('0');
    expect(gateway.getAccounts().map((a) => [a.id, a.type, a.isDefault])).toEqual([
      ['A-1', 'PAPER', true],
      ['R-1', 'REAL', false],
    ]);
    const order = await gateway.placeOrder({ ...marketBuy('001510', 10), accountId: 'A-1' });
    expect(order.brokerId).toBe('kis-mock');
    await expect(gateway.placeOrder({ ...marketBuy('001510', 1), accountId: 'R-1' })).rejects.toThrow(
      InsufficientFundsError,
    );
    expect(gateway.listOrders('A-1')).toHaveLength(1);
    expect(gateway.listOrders('R-1')).toHaveLength(0);
    await expect(gateway.getBalance('MOCK-001')).rejects.toThrow(AccountNotFoundError);

    // An account opened later is known at once, with the default paper cash; opening it again changes nothing.
    expect(gateway.openAccount({ id: 'A-2', type: AccountType.PAPER })).toBe(true);
    expect((await gateway.getBalance('A-2')).cashBalance.toFixed()).toBe('100000000');
    await gateway.placeOrder({ ...marketBuy('001510', 1), accountId: 'A-2' });
    const afterOrder = (await gateway.getBalance('A-2')).cashBalance.toFixed();
    expect(gateway.openAccount({ id: 'A-2', type: AccountType.PAPER, initialCash: '1' })).toBe(false);
    expect((await gateway.getBalance('A-2')).cashBalance.toFixed()).toBe(afterOrder);
    expect(() => gateway.openAccount({ id: ' ' })).toThrow(/non-empty/);
  });

  it('refuses unknown accounts everywhere', async () => {
    const { gateway } = setup();
    await expect(gateway.getBalance('NOPE')).rejects.toThrow(AccountNotFoundError);
    await expect(gateway.getPositions('NOPE')).rejects.toThrow(AccountNotFoundError);
    await expect(gateway.placeOrder({ ...marketBuy('005930', 1), accountId: 'NOPE' })).rejects.toThrow(
      AccountNotFoundError,
    );
  });
});

describe('MockBrokerGateway market orders', () => {
  it('fills a market buy at the ask: cash falls, the position appears at the fill price', async () => {
    const { gateway, market } = setup();
    const quote = await market.getQuote('005930');
    const order = await gateway.placeOrder(marketBuy('005930', 10));

    expect(order).toBeInstanceOf(Order);
    expect(order.id).toBe('MOCK-0000001');
    expect(order.status).toBe(OrderStatus.FILLED);
    expect(order.filledQuantity).toBe(10);
    expect(order.avgFillPrice?.equals(quote.ask)).toBe(true);
    expect(order.createdAt.getTime()).toBe(OPEN.getTime());
    expect(order.accountId).toBe(ACCOUNT);

    const cash = new Decimal('100000000').minus(quote.ask.times(10));
    const balance = await gateway.getBalance(ACCOUNT);
    expect(balance.cashBalance.equals(cash)).toBe(true);
    expect(balance.buyingPower.equals(cash)).toBe(true);
    expect(balance.totalEquity.equals(cash.plus(quote.price.times(10)))).toBe(true);

    const [position] = await gateway.getPositions(ACCOUNT);
    expect(position).toMatchObject({
      accountId: ACCOUNT,
      symbol: '005930',
      symbolName: '삼성전자',
      quantity: 10,
    });
    expect(position.avgPrice.equals(quote.ask)).toBe(true);
    expect(position.currentPrice.equals(quote.price)).toBe(true);
  });

  it('averages the price over several buys, and sells at the bid down to nothing', async () => {
    const { gateway, market, setTime } = setup();
    const first = await market.getQuote('000660');
    await gateway.placeOrder(marketBuy('000660', 10));
    setTime(new Date(OPEN.getTime() + 90 * MINUTE));
    const second = await market.getQuote('000660');
    await gateway.placeOrder(marketBuy('000660', 5));
    const average = first.ask.times(10).plus(second.ask.times(5)).dividedBy(15).toDecimalPlaces(4);
    let [position] = await gateway.getPositions(ACCOUNT);
    expect(position.quantity).toBe(15);
    expect(position.avgPrice.equals(average)).toBe(true);

    const cashBefore = (await gateway.getBalance(ACCOUNT)).cashBalance;
    const sellQuote = await market.getQuote('000660');
    const sell = await gateway.placeOrder(marketSell('000660', 4));
    expect(sell.status).toBe(OrderStatus.FILLED);
    expect(sell.avgFillPrice?.equals(sellQuote.bid)).toBe(true);
    [position] = await gateway.getPositions(ACCOUNT);
    expect(position.quantity).toBe(11);
    expect(position.avgPrice.equals(average)).toBe(true);
    expect(
      (await gateway.getBalance(ACCOUNT)).cashBalance.equals(cashBefore.plus(sellQuote.bid.times(4))),
    ).toBe(true);

    await gateway.placeOrder(marketSell('000660', 11));
    expect(await gateway.getPositions(ACCOUNT)).toEqual([]);
    const final = await gateway.getBalance(ACCOUNT);
    expect(final.totalEquity.equals(final.cashBalance)).toBe(true);
  });

  it('refuses a buy beyond the cash with InsufficientFundsError and records nothing', async () => {
    const { gateway } = setup();
    await expect(gateway.placeOrder(marketBuy('207940', 1_000))).rejects.toThrow(InsufficientFundsError);
    expect(gateway.listOrders()).toEqual([]);
    expect((await gateway.getBalance(ACCOUNT)).cashBalance.toFixed()).toBe('100000000');
    // A refused order consumes no order number.
    expect((await gateway.placeOrder(marketBuy('005930', 1))).id).toBe('MOCK-0000001');
  });

  it('refuses to sell shares that are not held (InsufficientFundsError: a broker business rule)', async () => {
    const { gateway } = setup();
    await expect(gateway.placeOrder(marketSell('005930', 1))).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { symbol: '005930', requested: 1, available: 0 },
    });
    await gateway.placeOrder(marketBuy('005930', 3));
    await expect(gateway.placeOrder(marketSell('005930', 4))).rejects.toThrow(InsufficientFundsError);
    expect((await gateway.getPositions(ACCOUNT))[0].quantity).toBe(3);
  });
});

describe('MockBrokerGateway limit orders', () => {
  it('fills a marketable buy limit at once, at the better ask', async () => {
    const { gateway, market } = setup();
    const quote = await market.getQuote('035420');
    const order = await gateway.placeOrder(limit(OrderSide.BUY, '035420', 2, quote.ask.plus(1_000)));
    expect(order.status).toBe(OrderStatus.FILLED);
    expect(order.avgFillPrice?.equals(quote.ask)).toBe(true);
    expect(order.price?.equals(quote.ask.plus(1_000))).toBe(true);
  });

  it('rests a buy limit below the ask, then fills it when the clock moves and the ask crosses', async () => {
    const { gateway, market, setTime } = setup();
    const quote = await market.getQuote('005930');
    const limitPrice = quote.bid;
    const order = await gateway.placeOrder(limit(OrderSide.BUY, '005930', 10, limitPrice));
    expect(order.status).toBe(OrderStatus.ACCEPTED);
    expect(order.isActive).toBe(true);

    const reserved = limitPrice.times(10);
    let balance = await gateway.getBalance(ACCOUNT);
    expect(balance.cashBalance.toFixed()).toBe('100000000');
    expect(balance.buyingPower.equals(new Decimal('100000000').minus(reserved))).toBe(true);

    const crossing = await firstCrossing(market, setTime, '005930', OPEN, (_bid, ask) =>
      ask.lessThanOrEqualTo(limitPrice),
    );
    setTime(new Date(crossing.getTime() - MINUTE));
    expect((await gateway.getOrderStatus(order.id)).status).toBe(OrderStatus.ACCEPTED);

    setTime(crossing);
    const quoteAtCrossing = await gateway.getQuote('005930');
    const filled = await gateway.getOrderStatus(order.id);
    expect(filled.status).toBe(OrderStatus.FILLED);
    expect(filled.avgFillPrice?.equals(quoteAtCrossing.ask)).toBe(true);
    expect(filled.avgFillPrice?.lessThanOrEqualTo(limitPrice)).toBe(true);
    expect(filled.updatedAt.getTime()).toBe(crossing.getTime());

    balance = await gateway.getBalance(ACCOUNT);
    const cash = new Decimal('100000000').minus(quoteAtCrossing.ask.times(10));
    expect(balance.cashBalance.equals(cash)).toBe(true);
    expect(balance.buyingPower.equals(cash)).toBe(true);
    expect((await gateway.getPositions(ACCOUNT))[0].quantity).toBe(10);
  });

  it('rests a sell limit above the bid and fills it when the bid reaches it', async () => {
    const { gateway, market, setTime } = setup();
    await gateway.placeOrder(marketBuy('066570', 20));
    const quote = await market.getQuote('066570');
    const order = await gateway.placeOrder(limit(OrderSide.SELL, '066570', 20, quote.ask));
    expect(order.status).toBe(OrderStatus.ACCEPTED);
    // The shares are promised to the resting order.
    await expect(gateway.placeOrder(marketSell('066570', 1))).rejects.toThrow(InsufficientFundsError);

    const crossing = await firstCrossing(market, setTime, '066570', OPEN, (bid) =>
      bid.greaterThanOrEqualTo(quote.ask),
    );
    gateway.matchOpenOrders();
    // Winding the clock back changes nothing: the fill happened at the crossing.
    setTime(OPEN);
    const filled = await gateway.getOrderStatus(order.id);
    expect(filled.status).toBe(OrderStatus.FILLED);
    expect(filled.updatedAt.getTime()).toBe(crossing.getTime());
    expect(filled.avgFillPrice?.greaterThanOrEqualTo(quote.ask)).toBe(true);
    expect(await gateway.getPositions(ACCOUNT)).toEqual([]);
  });

  it('reserves cash for resting buys so that orders can never overspend', async () => {
    const { gateway, market } = setup({ accounts: [{ id: ACCOUNT, initialCash: '1000000' }] });
    const quote = await market.getQuote('005930');
    const resting = await gateway.placeOrder(limit(OrderSide.BUY, '005930', 10, quote.bid.minus(1_000)));
    expect(resting.status).toBe(OrderStatus.ACCEPTED);
    const left = new Decimal('1000000').minus(quote.bid.minus(1_000).times(10));
    expect((await gateway.getBalance(ACCOUNT)).buyingPower.equals(left)).toBe(true);
    const affordable = left.dividedToIntegerBy(quote.ask).toNumber();
    await expect(gateway.placeOrder(marketBuy('005930', affordable + 1))).rejects.toThrow(
      InsufficientFundsError,
    );
    await expect(gateway.placeOrder(limit(OrderSide.BUY, '005930', 20, quote.bid))).rejects.toThrow(
      InsufficientFundsError,
    );
    await gateway.cancelOrder(resting.id);
    expect((await gateway.getBalance(ACCOUNT)).buyingPower.toFixed()).toBe('1000000');
  });
});

describe('MockBrokerGateway cancel and lookup', () => {
  it('cancels a resting order and refuses to cancel it twice', async () => {
    const { gateway, market } = setup();
    const quote = await market.getQuote('005930');
    const order = await gateway.placeOrder(limit(OrderSide.BUY, '005930', 1, quote.bid.minus(5_000)));
    const cancelled = await gateway.cancelOrder(order.id);
    expect(cancelled.status).toBe(OrderStatus.CANCELLED);
    expect(cancelled.isActive).toBe(false);
    expect((await gateway.getOrderStatus(order.id)).status).toBe(OrderStatus.CANCELLED);
    await expect(gateway.cancelOrder(order.id)).rejects.toMatchObject({
      code: 'INVALID_ORDER',
      field: 'orderId',
    });
  });

  it('refuses to cancel a filled order and reports unknown orders as not found', async () => {
    const { gateway } = setup();
    const filled = await gateway.placeOrder(marketBuy('005930', 1));
    await expect(gateway.cancelOrder(filled.id)).rejects.toThrow(InvalidOrderError);
    await expect(gateway.cancelOrder('MOCK-9999999')).rejects.toThrow(OrderNotFoundError);
    await expect(gateway.getOrderStatus('MOCK-9999999')).rejects.toThrow(OrderNotFoundError);
  });

  it('lists orders in placement order', async () => {
    const { gateway } = setup();
    await gateway.placeOrder(marketBuy('005930', 1));
    await gateway.placeOrder(marketBuy('000660', 1));
    expect(gateway.listOrders().map((o) => [o.id, o.symbol])).toEqual([
      ['MOCK-0000001', '005930'],
      ['MOCK-0000002', '000660'],
    ]);
    expect(gateway.listOrders(ACCOUNT)).toHaveLength(2);
  });
});

describe('MockBrokerGateway idempotency on clientOrderId', () => {
  it('returns the same order for the same clientOrderId and never places a second one', async () => {
    const { gateway } = setup();
    const command = marketBuy('005930', 10, { clientOrderId: 'intent-42' });
    const first = await gateway.placeOrder(command);
    const cash = (await gateway.getBalance(ACCOUNT)).cashBalance;
    const again = await gateway.placeOrder({ ...command });
    expect(again.id).toBe(first.id);
    expect(again.clientOrderId).toBe('intent-42');
    expect(gateway.listOrders()).toHaveLength(1);
    expect((await gateway.getBalance(ACCOUNT)).cashBalance.equals(cash)).toBe(true);
    expect((await gateway.findOrderByClientOrderId('intent-42'))?.id).toBe(first.id);
    expect(await gateway.findOrderByClientOrderId('intent-unknown')).toBeNull();
  });

  it('places one order when the same command races itself', async () => {
    const { gateway } = setup();
    const command = marketBuy('005930', 1, { clientOrderId: 'race' });
    const orders = await Promise.all([1, 2, 3].map(() => gateway.placeOrder(command)));
    expect(new Set(orders.map((o) => o.id)).size).toBe(1);
    expect(gateway.listOrders()).toHaveLength(1);
  });

  it('refuses to reuse a clientOrderId for a different order', async () => {
    const { gateway } = setup();
    await gateway.placeOrder(marketBuy('005930', 1, { clientOrderId: 'dup' }));
    await expect(gateway.placeOrder(marketBuy('005930', 2, { clientOrderId: 'dup' }))).rejects.toMatchObject({
      code: 'INVALID_ORDER',
      field: 'clientOrderId',
    });
    await expect(gateway.placeOrder(marketBuy('000660', 1, { clientOrderId: 'dup' }))).rejects.toThrow(
      InvalidOrderError,
    );
  });

  it('reports the current state of a replayed resting order', async () => {
    const { gateway, market, setTime } = setup();
    const quote = await market.getQuote('005930');
    const command = { ...limit(OrderSide.BUY, '005930', 10, quote.bid), clientOrderId: 'resting' };
    expect((await gateway.placeOrder(command)).status).toBe(OrderStatus.ACCEPTED);
    await firstCrossing(market, setTime, '005930', OPEN, (_bid, ask) => ask.lessThanOrEqualTo(quote.bid));
    expect((await gateway.placeOrder(command)).status).toBe(OrderStatus.FILLED);
    expect((await gateway.findOrderByClientOrderId('resting'))?.status).toBe(OrderStatus.FILLED);
  });
});

describe('MockBrokerGateway order validation', () => {
  it.each([
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: 1.5 }],
    ['symbol', { symbol: '5930' }],
    ['price', { price: new Decimal('70000') }],
  ])('refuses a market order with a bad %s', async (field, override) => {
    const { gateway } = setup();
    await expect(gateway.placeOrder({ ...marketBuy('005930', 1), ...override })).rejects.toMatchObject({
      code: 'INVALID_ORDER',
      field,
    });
  });

  it('refuses a limit price off the tick grid and an unlisted symbol', async () => {
    const { gateway } = setup();
    await expect(
      gateway.placeOrder(limit(OrderSide.BUY, '005930', 1, new Decimal('70050'))),
    ).rejects.toMatchObject({
      field: 'price',
    });
    await expect(gateway.placeOrder(marketBuy('999999', 1))).rejects.toThrow(SymbolNotFoundError);
    expect(gateway.listOrders()).toEqual([]);
  });
});

describe('MockBrokerGateway options', () => {
  it.each([
    ['brokerId', { brokerId: ' ' }],
    ['brokerType', { brokerType: 'NYSE' as BrokerType }],
    ['seed', { seed: 1.5 }],
    ['quoteIntervalMs', { quoteIntervalMs: 0 }],
    ['symbols', { symbols: [] }],
    ['accounts', { accounts: [] }],
    ['accounts.id', { accounts: [{ id: 'A' }, { id: 'A' }] }],
    ['accounts.id', { accounts: [{ id: '' }] }],
    ['accounts.initialCash', { accounts: [{ id: 'A', initialCash: '-1' }] }],
    ['accounts.initialCash', { accounts: [{ id: 'A', initialCash: 'lots' }] }],
    ['holidays', { holidays: ['2024-13-01'] }],
  ])('refuses a bad %s', (field, options) => {
    try {
      new MockBrokerGateway(options as MockBrokerGatewayOptions);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });

  it('refuses duplicate symbols', async () => {
    const symbols = await new MockBrokerGateway().getSymbols();
    expect(() => new MockBrokerGateway({ symbols: [symbols[0], symbols[0]] })).toThrow(/symbols/);
  });
});
