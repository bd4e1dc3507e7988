import { BrokerType, InvalidOrderError, OrderOutcomeUnknownError, OrderSide, OrderStatus, OrderType, SymbolNotFoundError } from '@qts/broker-domain';
import { RestSimulatorProcess, startRestSimulatorProcess } from '@qts/test-support';
import { connect, KIWOOM_ACCOUNT, presetPermits, UNLIMITED_PERMITS } from '../../test/rest-broker-harness';

/** The Kiwoom REST gateway and order adapter against the REST broker simulator over loopback (preset kiwoom). */
describe('Kiwoom over REST against the simulator', () => {
  let simulator: RestSimulatorProcess;
  const KIWOOM = presetPermits('kiwoom');

  beforeAll(async () => {
    simulator = await startRestSimulatorProcess({ brokers: [{ id: 'kiwoom', type: 'KIWOOM', accounts: [KIWOOM_ACCOUNT] }] });
  });

  afterAll(async () => {
    KIWOOM.limiter.close();
    await simulator?.stop();
  });

  const kiwoom = (overrides: Partial<Parameters<typeof connect>[0]> = {}) =>
    connect({ brokerType: BrokerType.KIWOOM, baseUrl: simulator.brokerUrl('kiwoom'), permits: KIWOOM.permits, permitTimeoutMs: 30_000, ...overrides });

  it('lists the symbols of both markets over several pages (cont-yn / next-key), and serves quotes and candles', async () => {
    const { gateway } = kiwoom();

    const symbols = await gateway.getSymbols();
    const quote = await gateway.getQuote('005930');
    const weekly = await gateway.getCandles('005930', '1w', new Date('2025-01-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));
    const fifteen = await gateway.getCandles('035420', '15m', new Date('2026-11-27T00:00:00Z'), new Date('2026-11-30T06:29:00Z'));

    const stats = await simulator.stats('kiwoom');
    expect(new Set(symbols.map((symbol) => symbol.market))).toEqual(new Set(['KOSPI', 'KOSDAQ']));
    expect(symbols.find((symbol) => symbol.code === '005930')?.name).toBe('삼성전자');
    expect(stats.requests['ka10099']).toBeGreaterThan(2);
    expect(quote.price.greaterThan(0)).toBe(true);
    expect(quote.ask.greaterThan(0) && quote.bid.greaterThan(0)).toBe(true);
    expect(weekly.length).toBeGreaterThan(90);
    expect(weekly.every((candle) => candle.timeframe === '1w')).toBe(true);
    // Two sessions (Fri 27th and Mon 30th) of 26 fifteen-minute bars.
    expect(fifteen).toHaveLength(52);
    expect(fifteen[0].timestamp.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });

  it('answers an unknown symbol with SymbolNotFoundError', async () => {
    await expect(kiwoom().gateway.getQuote('999999')).rejects.toBeInstanceOf(SymbolNotFoundError);
  });

  it('places, cancels and reads orders; a filled buy shows in the positions and the balance', async () => {
    const { gateway } = kiwoom();
    const quote = await gateway.getQuote('000660');
    const resting = await gateway.placeOrder({
      accountId: KIWOOM_ACCOUNT,
      symbol: '000660',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 1,
      price: quote.price.times(0.7).dividedBy(100).floor().times(100),
    });
    const cancelled = await gateway.cancelOrder(resting.id);
    const bought = await gateway.placeOrder({ accountId: KIWOOM_ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 7 });
    const positions = await gateway.getPositions(KIWOOM_ACCOUNT);
    const balance = await gateway.getBalance(KIWOOM_ACCOUNT);

    expect(resting.id).toMatch(/^\d{7}$/);
    expect(cancelled.status).toBe(OrderStatus.CANCELLED);
    await expect(gateway.cancelOrder(resting.id)).rejects.toBeInstanceOf(InvalidOrderError);
    await expect(gateway.getOrderStatus(bought.id)).resolves.toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 7 });
    expect(positions.find((position) => position.symbol === '005930')?.quantity).toBe(7);
    expect(balance.cashBalance.lessThan('100000000')).toBe(true);
    expect(balance.totalEquity.greaterThan(balance.cashBalance)).toBe(true);
  });

  it('answers a token refusal ([8005]) by issuing a new token once', async () => {
    const connection = kiwoom({ appKey: 'kw-expiring-key' });
    await connection.gateway.getQuote('005930');
    await simulator.resetStats('kiwoom');
    await simulator.expireTokens('kiwoom');

    await connection.gateway.getQuote('005930');

    const stats = await simulator.stats('kiwoom');
    expect(stats.tokensIssued).toBe(1);
    expect(stats.requests['ka10001']).toBe(2);
  });

  it('reconciles an order whose answer came too late', async () => {
    const { orders } = kiwoom({ requestTimeoutMs: 400 });
    const placedBefore = (await simulator.stats('kiwoom')).ordersPlaced;
    await simulator.setFaults('kiwoom', { latency: { latencyMs: 1_500, apis: ['kt10000'] } });

    await expect(
      orders.placeOrder({ clientOrderId: 'kw-late', brokerId: 'kiwoom', accountId: KIWOOM_ACCOUNT, symbol: '068270', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 2 }),
    ).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await simulator.clearFaults('kiwoom');

    await expect(orders.getOrder({ clientOrderId: 'kw-late' })).resolves.toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 2 });
    expect((await simulator.stats('kiwoom')).ordersPlaced - placedBefore).toBe(1);
  });

  it('counts 0 violations under three times the allowed load through the platform\'s limiter, and counts them without permits', async () => {
    await simulator.resetStats('kiwoom', true);
    const leased = kiwoom();
    const asked: Promise<unknown>[] = [];
    for (let second = 0; second < 2; second++) {
      for (let i = 0; i < 15; i++) asked.push(leased.gateway.getQuote('005930'));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const results = await Promise.allSettled(asked);
    const withLeases = await simulator.stats('kiwoom');
    await simulator.resetStats('kiwoom', true);
    const unlimited = kiwoom({ permits: UNLIMITED_PERMITS });
    await Promise.allSettled(Array.from({ length: 15 }, () => unlimited.gateway.getQuote('005930')));

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(withLeases.requests['ka10001']).toBe(30);
    expect(withLeases.violations).toEqual({});
    expect((await simulator.stats('kiwoom')).violations['requests']).toBeGreaterThan(0);
  }, 120_000);
});
