import { Decimal, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { announcePaperSmoke, connectPaper, KIS_PAPER_SMOKE, KIWOOM_PAPER_SMOKE, PaperSmokeSpec } from '../../test/paper-smoke';

// Against the brokers' paper servers, with the app key, secret and account of a paper account from the
// environment. Reads by default; with <BROKER>_PAPER_SMOKE_ORDERS=1 also one limit buy of 1 share far below
// the market, cancelled at once (during KRX hours; outside them the broker refuses it, which is reported).

const SYMBOL = '005930';

function paperSuite(spec: PaperSmokeSpec): void {
  const runs = announcePaperSmoke(spec);
  // Not run is reported as skipped (and printed above), never as passed.
  const suite = runs ? describe : describe.skip;

  suite(`${spec.label} smoke`, () => {
    const connection = runs ? connectPaper(spec) : undefined;
    const broker = connection?.broker;
    const account = (process.env[spec.accountEnv] ?? '').trim();

    afterAll(() => {
      // Nothing but the paper server was asked, and one token served the whole run.
      const urls = connection?.requestedUrls ?? [];
      expect(urls.every((url) => url.startsWith(`${connection?.baseUrl}/`))).toBe(true);
      expect(urls.filter((url) => url.endsWith('/oauth2/tokenP') || url.endsWith('/oauth2/token'))).toHaveLength(1);
    });

    it('issues a token and reads a quote, the balance and the positions', async () => {
      const gateway = broker?.gateway;
      if (gateway === undefined) throw new Error('no connection');

      const quote = await gateway.getQuote(SYMBOL);
      const balance = await gateway.getBalance(account);
      const positions = await gateway.getPositions(account);

      expect(quote.price.isPositive()).toBe(true);
      expect(balance.accountId).toBe(account);
      expect(Array.isArray(positions)).toBe(true);
      process.stdout.write(`${spec.label}: ${SYMBOL} ${quote.price.toFixed()} KRW; ${positions.length} positions\n`);
    });

    it('reads daily candles over more than one page', async () => {
      const gateway = broker?.gateway;
      if (gateway === undefined) throw new Error('no connection');
      const end = new Date();
      const start = new Date(end.getTime() - 200 * 86_400_000);

      const candles = await gateway.getCandles(SYMBOL, '1d', start, end);

      expect(candles.length).toBeGreaterThan(100);
      expect(candles.every((candle, i) => i === 0 || candle.timestamp > candles[i - 1].timestamp)).toBe(true);
    });

    const ordersWanted = (process.env[spec.ordersEnv] ?? '') === '1';
    (ordersWanted ? it : it.skip)('places one far-from-market limit buy and cancels it', async () => {
      const gateway = broker?.gateway;
      if (gateway === undefined) throw new Error('no connection');
      const quote = await gateway.getQuote(SYMBOL);
      const price = new Decimal(quote.price.times(0.75).dividedBy(100).floor().times(100).toFixed());

      const order = await gateway.placeOrder({ accountId: account, symbol: SYMBOL, side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 1, price });
      const cancelled = await gateway.cancelOrder(order.id);

      expect(order.status).toBe(OrderStatus.ACCEPTED);
      expect(cancelled.status).toBe(OrderStatus.CANCELLED);
    });
  });
}

paperSuite(KIS_PAPER_SMOKE);
paperSuite(KIWOOM_PAPER_SMOKE);
