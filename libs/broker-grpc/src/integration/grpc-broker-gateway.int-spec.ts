import {
  AccountNotFoundError,
  AuthenticationError,
  BrokerTimeoutError,
  BrokerType,
  Candle,
  Decimal,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  krxTickSize,
  MockBrokerGateway,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderSide,
  OrderStatus,
  OrderType,
  Quote,
  RateLimitExceededError,
  StockSymbol,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { SimulatorHarness, startSimulatorHarness } from '../../test/simulator-harness';

/**
 * Every RPC of GrpcBrokerGateway end to end against the real simulator process: mapping, a 10,000+
 * candle stream, a quote stream, paper orders, and each error mapping (server errors and injected
 * faults). The broker uses the kis-real preset (20/s) on both sides so the suite is not slowed down
 * by the paper account's 2/s.
 */
describe('GrpcBrokerGateway against the JTS simulator', () => {
  const ACCOUNT = '50099999-01';
  let harness: SimulatorHarness;

  beforeAll(async () => {
    harness = await startSimulatorHarness({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'kis-real', accountId: ACCOUNT }],
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(async () => {
    await harness.sim.admin.clearFaults('');
  });

  describe('market data', () => {
    it('getSymbols lists the real KRX symbols of the mock broker', async () => {
      const symbols = await harness.gateway('kis').getSymbols();

      expect(symbols.length).toBeGreaterThanOrEqual(20);
      expect(symbols.every((symbol) => symbol instanceof StockSymbol)).toBe(true);
      expect(symbols.find((symbol) => symbol.code === '005930')).toMatchObject({ name: '삼성전자', market: 'KOSPI' });
    });

    it('getQuote returns a consistent quote with decimal prices', async () => {
      const quote = await harness.gateway('kis').getQuote('005930');

      expect(quote).toBeInstanceOf(Quote);
      expect(quote.symbol).toBe('005930');
      expect(quote.bid.lessThan(quote.ask)).toBe(true);
      expect(quote.price.greaterThanOrEqualTo(quote.bid) && quote.price.lessThanOrEqualTo(quote.ask)).toBe(true);
    });

    it('streams 10,000+ 1m candles, identical to the domain mock with the same seed (decimals exact)', async () => {
      const start = new Date('2024-01-02T00:00:00.000Z');
      const end = new Date('2024-02-16T06:30:00.000Z');
      const startedAt = Date.now();

      const candles = await harness.gateway('kis').getCandles('005930', '1m', start, end);

      expect(candles.length).toBeGreaterThanOrEqual(10_000);
      expect(candles.every((candle) => candle instanceof Candle)).toBe(true);
      const expected = await new MockBrokerGateway({ seed: 42 }).getCandles('005930', '1m', start, end);
      expect(candles.map((candle) => candle.toJSON())).toEqual(expected.map((candle) => candle.toJSON()));
      // Within the stream deadline (60 s by default), in practice a few seconds.
      expect(Date.now() - startedAt).toBeLessThan(60_000);
    });

    it('streamCandles yields lazily and can stop early', async () => {
      const received: Candle[] = [];
      const stream = harness.gateway('kis').streamCandles('000660', '5m', new Date('2024-01-02'), new Date('2024-03-29'));
      for await (const candle of stream) {
        received.push(candle);
        if (received.length === 10) break;
      }

      expect(received).toHaveLength(10);
      // The server is still fine after the cancel.
      await expect(harness.gateway('kis').getQuote('000660')).resolves.toBeInstanceOf(Quote);
    });

    it('a quote stream delivers quotes for every symbol until aborted', async () => {
      const controller = new AbortController();
      const quotes: Quote[] = [];

      for await (const quote of harness.gateway('kis').streamQuotes(['005930', '035420'], { signal: controller.signal })) {
        quotes.push(quote);
        if (quotes.length >= 6) controller.abort();
      }

      expect(new Set(quotes.map((quote) => quote.symbol))).toEqual(new Set(['005930', '035420']));
    });
  });

  describe('paper trading', () => {
    it('balance starts at 100,000,000 KRW with no positions', async () => {
      const balance = await harness.gateway('kis').getBalance(ACCOUNT);

      expect(balance.cashBalance.equals('100000000')).toBe(true);
      expect(balance.currency).toBe('KRW');
    });

    it('places a MARKET buy that fills, shows the position, and is idempotent on clientOrderId', async () => {
      const gateway = harness.gateway('kis');
      const command = {
        accountId: ACCOUNT,
        symbol: '005930',
        side: OrderSide.BUY,
        orderType: OrderType.MARKET,
        quantity: 3,
        clientOrderId: 'it-market-buy-1',
      };

      const order = await gateway.placeOrder(command);
      const again = await gateway.placeOrder(command);

      expect(order).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 3, brokerId: 'kis', clientOrderId: 'it-market-buy-1' });
      expect(order.avgFillPrice?.greaterThan(0)).toBe(true);
      expect(again.id).toBe(order.id);
      const positions = await gateway.getPositions(ACCOUNT);
      expect(positions.find((position) => position.symbol === '005930')?.quantity).toBe(3);
      expect(await gateway.getOrderStatus(order.id)).toMatchObject({ id: order.id, status: OrderStatus.FILLED });
      expect(await gateway.findOrderByClientOrderId('it-market-buy-1')).toMatchObject({ id: order.id });
      const listed = await harness.sim.admin.listOrders('kis', ACCOUNT);
      expect(listed.filter((wire) => wire.clientOrderId === 'it-market-buy-1')).toHaveLength(1);
    });

    it('a LIMIT buy far below the market rests ACCEPTED and can be cancelled', async () => {
      const gateway = harness.gateway('kis');
      const quote = await gateway.getQuote('035420');
      const low = quote.bid.dividedBy(2);
      const price = low.minus(low.mod(krxTickSize(low)));

      const order = await gateway.placeOrder({
        accountId: ACCOUNT,
        symbol: '035420',
        side: OrderSide.BUY,
        orderType: OrderType.LIMIT,
        quantity: 1,
        price,
        clientOrderId: 'it-limit-1',
      });
      const cancelled = await gateway.cancelOrder(order.id);

      expect(order.status).toBe(OrderStatus.ACCEPTED);
      expect(order.price?.equals(price)).toBe(true);
      expect(cancelled).toMatchObject({ id: order.id, status: OrderStatus.CANCELLED });
      await expect(gateway.cancelOrder(order.id)).rejects.toBeInstanceOf(InvalidOrderError);
    });

    it('findOrderByClientOrderId answers null for an order never placed', async () => {
      await expect(harness.gateway('kis').findOrderByClientOrderId('it-never-placed')).resolves.toBeNull();
    });
  });

  describe('error mapping end to end', () => {
    it('server-side domain errors arrive as the domain errors', async () => {
      const gateway = harness.gateway('kis');

      await expect(gateway.getQuote('999999')).rejects.toBeInstanceOf(SymbolNotFoundError);
      await expect(gateway.getBalance('NO-SUCH-ACCOUNT')).rejects.toBeInstanceOf(AccountNotFoundError);
      await expect(gateway.getOrderStatus('NO-SUCH-ORDER')).rejects.toBeInstanceOf(OrderNotFoundError);
      await expect(gateway.cancelOrder('NO-SUCH-ORDER')).rejects.toBeInstanceOf(OrderNotFoundError);
      await expect(
        gateway.placeOrder({ accountId: ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 1_000_000 }),
      ).rejects.toBeInstanceOf(InsufficientFundsError);
    });

    it.each([
      ['INVALID_ARGUMENT', InvalidArgumentError],
      ['UNAUTHENTICATED', AuthenticationError],
      ['UNIMPLEMENTED', NotSupportedError],
      ['DEADLINE_EXCEEDED', BrokerTimeoutError],
    ])('an injected %s on a read -> %p', async (code, expected) => {
      await harness.sim.admin.setFaults('kis', { failNext: { count: 1, code, rpcs: ['GetQuote'] } });

      await expect(harness.gateway('kis').getQuote('005930')).rejects.toBeInstanceOf(expected);
    });

    it('a broker rate-limit answer carries retry-after and the broker code', async () => {
      await harness.sim.admin.setFaults('kis', {
        failNext: { count: 1, code: 'RESOURCE_EXHAUSTED', rpcs: ['GetBalance'], brokerCode: 'EGW00201' },
      });

      const error = (await harness.gateway('kis').getBalance(ACCOUNT).catch((e: unknown) => e)) as RateLimitExceededError;

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.details).toMatchObject({ brokerCode: 'EGW00201' });
    });

    it('reads ride over two UNAVAILABLE answers (retried), orders never are', async () => {
      await harness.sim.admin.setFaults('kis', { failNext: { count: 2, code: 'UNAVAILABLE', rpcs: ['GetQuote', 'PlaceOrder'] } });
      const before = await harness.sim.admin.getBrokerStats('kis');

      await expect(harness.gateway('kis').getQuote('005930')).resolves.toBeInstanceOf(Quote);
      const after = await harness.sim.admin.getBrokerStats('kis');
      expect(after.requests['GetQuote'] - before.requests['GetQuote']).toBe(3);

      await harness.sim.admin.setFaults('kis', { failNext: { count: 1, code: 'UNAVAILABLE', rpcs: ['PlaceOrder'] } });
      const error = await harness
        .gateway('kis')
        .placeOrder({ accountId: ACCOUNT, symbol: '005930', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 1, clientOrderId: 'it-unavailable-1' })
        .catch((e: unknown) => e);
      // Sent on a READY channel: the client cannot know whether it was processed.
      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      const last = await harness.sim.admin.getBrokerStats('kis');
      expect(last.requests['PlaceOrder'] - after.requests['PlaceOrder']).toBe(1);
      // Reconciliation tells: the simulator failed it before processing, so there is no such order.
      await expect(harness.gateway('kis').findOrderByClientOrderId('it-unavailable-1')).resolves.toBeNull();
    });

    it('an order that outlives the deadline is an unknown outcome, and reconciliation finds it placed', async () => {
      await harness.sim.admin.setFaults('kis', { latency: { latencyMs: (harness.options.deadlineMs ?? 0) + 1_000, rpcs: ['PlaceOrder'] } });
      const startedAt = Date.now();

      const error = (await harness
        .gateway('kis')
        .placeOrder({
          accountId: ACCOUNT,
          symbol: '005930',
          side: OrderSide.BUY,
          orderType: OrderType.LIMIT,
          quantity: 1,
          price: new Decimal(1_000),
          clientOrderId: 'it-slow-1',
        })
        .catch((e: unknown) => e)) as OrderOutcomeUnknownError;

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error.clientOrderId).toBe('it-slow-1');
      expect(Date.now() - startedAt).toBeLessThan((harness.options.deadlineMs ?? 0) + 1_000);
      await harness.sim.admin.clearFaults('kis');
      const reconciled = await harness.gateway('kis').findOrderByClientOrderId('it-slow-1');
      expect(reconciled).toMatchObject({ clientOrderId: 'it-slow-1', status: OrderStatus.ACCEPTED });
    });
  });
});
