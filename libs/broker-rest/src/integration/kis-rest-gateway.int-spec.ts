import {
  BrokerType,
  Decimal,
  InvalidOrderError,
  NotSupportedError,
  OrderOutcomeUnknownError,
  OrderSide,
  OrderStatus,
  OrderType,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { RestSimulatorProcess, startRestSimulatorProcess } from '@qts/test-support';
import { connect, KIS_ACCOUNT, presetPermits, UNLIMITED_PERMITS } from '../../test/rest-broker-harness';
import { InMemoryTokenStore } from '../lib/tokens/in-memory-token-store';

/** KIS issues one token a minute; the suite's simulator and limiter allow one a second so its tests can issue several. */
const TOKEN_RULE = [{ id: 'token', limit: 1, windowMs: 1_000 }];
/** One limiter for the suite, as one process has one per broker. */
const KIS_REAL = presetPermits('kis-real', TOKEN_RULE);

/**
 * The KIS REST gateway and order adapter against the REST broker simulator over loopback. The simulator
 * serves the real KIS server's tr_ids (preset kis-real: 20 requests a second, one token a minute) so the
 * suite runs at a useful pace; the paper flavour is exercised in its own test.
 */
describe('KIS over REST against the simulator', () => {
  let simulator: RestSimulatorProcess;

  beforeAll(async () => {
    simulator = await startRestSimulatorProcess({
      brokers: [
        { id: 'kis', type: 'KIS', preset: 'kis-real', accounts: [KIS_ACCOUNT], rules: TOKEN_RULE },
        { id: 'kis-paper', type: 'KIS', preset: 'kis-paper', accounts: [KIS_ACCOUNT] },
      ],
    });
  });

  afterAll(async () => {
    KIS_REAL.limiter.close();
    await simulator?.stop();
  });

  const kis = (overrides: Partial<Parameters<typeof connect>[0]> = {}) =>
    connect({
      brokerType: BrokerType.KIS,
      baseUrl: simulator.brokerUrl('kis'),
      environment: 'real',
      permits: KIS_REAL.permits,
      symbols: ['005930', '000660'],
      ...overrides,
    });

  it('serves symbols, quotes, daily candles over several pages, minute candles combined into 5m bars, and the balance', async () => {
    const { gateway } = kis();

    const symbols = await gateway.getSymbols();
    const quote = await gateway.getQuote('005930');
    const daily = await gateway.getCandles('005930', '1d', new Date('2026-01-05T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));
    const fiveMinutes = await gateway.getCandles('005930', '5m', new Date('2026-11-30T00:00:00Z'), new Date('2026-11-30T06:29:00Z'));
    const balance = await gateway.getBalance(KIS_ACCOUNT);

    expect(symbols.map((symbol) => [symbol.code, symbol.market])).toEqual([
      ['005930', 'KOSPI'],
      ['000660', 'KOSPI'],
    ]);
    expect(quote.symbol).toBe('005930');
    expect(quote.price.greaterThan(0)).toBe(true);
    expect(quote.ask.greaterThanOrEqualTo(quote.bid)).toBe(true);
    // Jan 5 to Nov 30, 2026: more than 200 sessions, so at least three pages of 100 rows.
    expect(daily.length).toBeGreaterThan(200);
    expect((await simulator.stats('kis')).requests['FHKST03010100']).toBeGreaterThanOrEqual(3);
    expect(new Set(daily.map((candle) => candle.timestamp.getTime())).size).toBe(daily.length);
    expect(daily.every((candle, i) => i === 0 || candle.timestamp > daily[i - 1].timestamp)).toBe(true);
    // One session of 390 minutes in 5-minute bars, aligned at 09:00 KST.
    expect(fiveMinutes).toHaveLength(78);
    expect(fiveMinutes[0].timestamp.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(fiveMinutes[1].timestamp.toISOString()).toBe('2026-11-30T00:05:00.000Z');
    expect(balance).toMatchObject({ accountId: KIS_ACCOUNT, currency: 'KRW' });
    expect(balance.buyingPower.toFixed()).toBe('100000000');
  });

  it('answers an unknown symbol with SymbolNotFoundError and another account with AccountNotFoundError', async () => {
    const { gateway } = kis();

    await expect(gateway.getQuote('999999')).rejects.toBeInstanceOf(SymbolNotFoundError);
    await expect(gateway.getBalance('50099999-01')).rejects.toThrow(/not the account of broker/);
  });

  it('places, reads, cancels a resting order and refuses to cancel it twice; a market buy fills into a position', async () => {
    const { gateway } = kis();
    const quote = await gateway.getQuote('000660');
    const farBelow = quote.price.times(0.7).dividedBy(100).floor().times(100);

    const resting = await gateway.placeOrder({
      accountId: KIS_ACCOUNT,
      symbol: '000660',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 2,
      price: farBelow,
      clientOrderId: 'kis-resting-1',
    });
    const read = await gateway.getOrderStatus(resting.id);
    const cancelled = await gateway.cancelOrder(resting.id);
    const bought = await gateway.placeOrder({
      accountId: KIS_ACCOUNT,
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.MARKET,
      quantity: 3,
      clientOrderId: 'kis-market-1',
    });
    const filled = await gateway.getOrderStatus(bought.id);
    const positions = await gateway.getPositions(KIS_ACCOUNT);

    expect(resting).toMatchObject({ status: OrderStatus.ACCEPTED, clientOrderId: 'kis-resting-1' });
    expect(read).toMatchObject({ id: resting.id, status: OrderStatus.ACCEPTED, symbol: '000660', quantity: 2, clientOrderId: 'kis-resting-1' });
    expect(read.price?.equals(farBelow)).toBe(true);
    expect(cancelled).toMatchObject({ id: resting.id, status: OrderStatus.CANCELLED });
    await expect(gateway.cancelOrder(resting.id)).rejects.toBeInstanceOf(InvalidOrderError);
    expect(filled).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 3 });
    expect(positions.find((position) => position.symbol === '005930')?.quantity).toBe(3);
  });

  it('issues one token for many requests of one app key, also across two connections sharing the store', async () => {
    await simulator.resetStats('kis');
    const store = new InMemoryTokenStore();
    const first = kis({ appKey: 'PS-shared-key', tokenStore: store });
    const second = kis({ appKey: 'PS-shared-key', tokenStore: store });

    await Promise.all([first.gateway.getQuote('005930'), second.gateway.getQuote('000660'), first.gateway.getBalance(KIS_ACCOUNT)]);
    await second.gateway.getBalance(KIS_ACCOUNT);

    expect((await simulator.stats('kis')).tokensIssued).toBe(1);
    expect(first.tokens.issuedCount + second.tokens.issuedCount).toBe(1);
  });

  it('answers the expired-token refusal (EGW00123) by issuing a new token once and sending the request again', async () => {
    const connection = kis({ appKey: 'PS-expiring-key' });
    await connection.gateway.getQuote('005930');
    await simulator.resetStats('kis');

    expect(await simulator.expireTokens('kis')).toBeGreaterThan(0);
    const quote = await connection.gateway.getQuote('005930');

    const stats = await simulator.stats('kis');
    expect(quote.symbol).toBe('005930');
    expect(stats.tokensIssued).toBe(1);
    // inquire-price twice (refused, then sent again) and the order book once.
    expect(stats.requests['FHKST01010100']).toBe(2);
    expect(stats.requests['FHKST01010200']).toBe(1);
  });

  it('leaves an order that timed out UNKNOWN, never re-sends it, and reconciles it from the daily order list', async () => {
    const { orders, gateway } = kis({ requestTimeoutMs: 400 });
    const placedBefore = (await simulator.stats('kis')).ordersPlaced;
    await simulator.setFaults('kis', { latency: { latencyMs: 1_500, apis: ['TTTC0012U'] } });
    const request = {
      clientOrderId: 'kis-timeout-1',
      brokerId: 'kis',
      accountId: KIS_ACCOUNT,
      symbol: '035420',
      side: OrderSide.BUY,
      orderType: OrderType.MARKET,
      quantity: 4,
    };

    await expect(orders.placeOrder(request)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(orders.placeOrder(request)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await simulator.clearFaults('kis');
    const reconciled = await orders.getOrder({ clientOrderId: 'kis-timeout-1' });
    const viaGateway = await gateway.findOrderByClientOrderId('kis-timeout-1');

    // Processed once (the one request that reached KIS), found by matching.
    expect((await simulator.stats('kis')).ordersPlaced - placedBefore).toBe(1);
    expect(reconciled).toMatchObject({ clientOrderId: 'kis-timeout-1', status: OrderStatus.FILLED, filledQuantity: 4 });
    expect(viaGateway).toMatchObject({ id: reconciled?.orderId, clientOrderId: 'kis-timeout-1', status: OrderStatus.FILLED });
  });

  it('reconciles an order whose request stalled on its way and reached KIS after the client gave up', async () => {
    const { orders } = kis({ requestTimeoutMs: 400 });
    await simulator.setFaults('kis', { stall: { apis: ['TTTC0011U'] } });
    const before = (await simulator.stats('kis')).ordersPlaced;
    // Something to sell: a market buy first.
    await orders.placeOrder({ clientOrderId: 'kis-stock-for-sale', brokerId: 'kis', accountId: KIS_ACCOUNT, symbol: '051910', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 5 });
    const sale = { clientOrderId: 'kis-stalled-sale', brokerId: 'kis', accountId: KIS_ACCOUNT, symbol: '051910', side: OrderSide.SELL, orderType: OrderType.MARKET, quantity: 5 };

    await expect(orders.placeOrder(sale)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(await orders.getOrder({ clientOrderId: 'kis-stalled-sale' })).toBeNull();
    await simulator.clearFaults('kis');
    await waitUntil(async () => (await simulator.stats('kis')).ordersPlaced === before + 2);

    await expect(orders.getOrder({ clientOrderId: 'kis-stalled-sale' })).resolves.toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 5 });
  });

  it('leaves an unknown outcome that matches two broker orders UNKNOWN and flagged, and never re-sends it', async () => {
    const first = kis({ requestTimeoutMs: 400 });
    const sentAt = new Date();
    const order = { brokerId: 'kis', accountId: KIS_ACCOUNT, symbol: '005380', side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 1 };
    const quote = await first.gateway.getQuote('005380');
    const price = quote.price.times(0.8).dividedBy(100).floor().times(100);
    await first.orders.placeOrder({ ...order, price, clientOrderId: 'kis-twin-a' });
    await first.orders.placeOrder({ ...order, price, clientOrderId: 'kis-twin-b' });
    // After a restart the sender describes what it sent; two identical orders match it.
    const restarted = kis();

    const found = await restarted.orders.getOrder({
      clientOrderId: 'kis-twin-c',
      placed: { accountId: KIS_ACCOUNT, symbol: '005380', side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 1, price, sentAt },
    });

    expect(found).toMatchObject({ status: OrderStatus.UNKNOWN, brokerCode: 'AMBIGUOUS_MATCH' });
    expect(restarted.orders.ambiguousMatches()).toHaveLength(1);
    await expect(restarted.gateway.findOrderByClientOrderId('kis-twin-c')).rejects.toBeInstanceOf(NotSupportedError);
    // The process that sent them knows which is which.
    await expect(first.orders.getOrder({ clientOrderId: 'kis-twin-b' })).resolves.toMatchObject({ status: OrderStatus.ACCEPTED });
  });

  it('keeps within the paper server\'s 2 requests a second with the kis-paper preset (V... tr_ids)', async () => {
    await simulator.resetStats('kis-paper', true);
    const { gateway, orders } = connect({
      brokerType: BrokerType.KIS,
      baseUrl: simulator.brokerUrl('kis-paper'),
      environment: 'paper',
      permits: presetPermits('kis-paper').permits,
      permitTimeoutMs: 30_000,
    });

    await Promise.all([gateway.getQuote('005930'), gateway.getQuote('000660'), gateway.getBalance(KIS_ACCOUNT)]);
    const placed = await orders.placeOrder({
      clientOrderId: 'kis-paper-1',
      brokerId: 'kis',
      accountId: KIS_ACCOUNT,
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 1,
      price: new Decimal('1000'),
    });

    const stats = await simulator.stats('kis-paper');
    expect(placed.orderId).toMatch(/^\d{10}$/);
    expect(stats.requests['VTTC0012U']).toBe(1);
    expect(stats.requests['VTTC8434R']).toBe(1);
    expect(stats.violations).toEqual({});
  });

  it('sends nothing over the budget under three times the allowed load: the simulator counts 0 violations', async () => {
    await simulator.resetStats('kis', true);
    // The suite's limiter (the platform's, with leases): a request holds its slot until its answer plus a window.
    const { gateway } = kis({ permitTimeoutMs: 60_000 });
    // 90 quotes (180 requests) asked for within 3 s against a rule of 20 a second: 3x the budget.
    const asked: Promise<unknown>[] = [];
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 30; i++) asked.push(gateway.getQuote(i % 2 === 0 ? '005930' : '000660'));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const results = await Promise.allSettled(asked);

    const stats = await simulator.stats('kis');
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(stats.requests['FHKST01010100']).toBe(90);
    expect(stats.violations).toEqual({});
  }, 120_000);

  it('counts the violations of a client that sends without permits (the check above is not vacuous)', async () => {
    await simulator.resetStats('kis', true);
    const { gateway } = kis({ permits: UNLIMITED_PERMITS });

    const results = await Promise.allSettled(Array.from({ length: 30 }, () => gateway.getQuote('005930')));

    expect(results.some((result) => result.status === 'rejected')).toBe(true);
    expect((await simulator.stats('kis')).violations['requests']).toBeGreaterThan(0);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
