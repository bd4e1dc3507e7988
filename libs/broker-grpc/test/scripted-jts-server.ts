import {
  Metadata,
  sendUnaryData,
  Server,
  ServerCredentials,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceError,
  status,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { jtsV1 } from '@qts/grpc-contracts';
import { HealthImplementation, ServingStatus } from 'grpc-health-check';

/**
 * An in-process JTS server on 127.0.0.1 (ephemeral port) for unit tests: the generated jts.v1 services
 * with scripted handlers, the standard health service, call counters, and stop/restart on the same port.
 */

export type UnaryHandler<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;
export type StreamHandler<Req, Res> = (call: ServerWritableStream<Req, Res>) => void;

export interface JtsHandlers {
  getSymbols: UnaryHandler<jtsV1.GetSymbolsRequest, jtsV1.GetSymbolsResponse>;
  getCandles: StreamHandler<jtsV1.GetCandlesRequest, jtsV1.CandleData>;
  getQuote: UnaryHandler<jtsV1.GetQuoteRequest, jtsV1.QuoteData>;
  streamQuotes: StreamHandler<jtsV1.StreamQuotesRequest, jtsV1.QuoteData>;
  getBalance: UnaryHandler<jtsV1.GetBalanceRequest, jtsV1.BalanceResponse>;
  getPositions: UnaryHandler<jtsV1.GetPositionsRequest, jtsV1.PositionsResponse>;
  placeOrder: UnaryHandler<jtsV1.PlaceOrderRequest, jtsV1.OrderResponse>;
  cancelOrder: UnaryHandler<jtsV1.CancelOrderRequest, jtsV1.OrderResponse>;
  getOrderStatus: UnaryHandler<jtsV1.GetOrderStatusRequest, jtsV1.OrderStatusResponse>;
}

export type JtsMethod = keyof JtsHandlers;

export const MARKET_DATA_SERVICE = 'jts.v1.MarketDataService';
export const TRADING_SERVICE = 'jts.v1.TradingService';

/** A gRPC error as a handler passes it to its callback (or emits it on a stream). */
export function grpcError(code: status, details: string, metadata: Record<string, string> = {}): ServiceError {
  const trailers = new Metadata();
  for (const [key, value] of Object.entries(metadata)) trailers.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata: trailers });
}

export const WIRE_QUOTE: jtsV1.QuoteData = {
  symbol: '005930',
  price: '71500.00',
  open: '71000',
  high: '72000.5',
  low: '70900',
  previousClose: '71100',
  change: '400.00',
  changeRate: '0.5625879043600562587904360056258790436',
  bid: '71400',
  ask: '71500.00',
  bidSize: 1200,
  askSize: 800,
  volume: 9_007_199_254_740_991,
  timestamp: '2024-01-02T01:02:03.456Z',
};

export const WIRE_ORDER: jtsV1.Order = {
  orderId: 'ORD-0000001',
  clientOrderId: 'intent-0001',
  accountId: '50012345-01',
  symbol: '005930',
  side: jtsV1.OrderSide.BUY,
  orderType: jtsV1.OrderType.LIMIT,
  quantity: 10,
  price: '71500.00',
  status: jtsV1.OrderStatus.PARTIAL,
  filledQuantity: 4,
  avgFillPrice: '71450.50',
  message: 'partly filled',
  createdAt: '2024-01-02T00:00:01.000Z',
  updatedAt: '2024-01-02T00:00:02.500Z',
};

export function wireCandle(index: number, overrides: Partial<jtsV1.CandleData> = {}): jtsV1.CandleData {
  return {
    symbol: '005930',
    timeframe: '1m',
    timestamp: new Date(Date.UTC(2024, 0, 2, 0, index)).toISOString(),
    open: '71000',
    high: '71500.00',
    low: '70900',
    close: '71200.10',
    volume: 100 + index,
    ...overrides,
  };
}

function defaultHandlers(): JtsHandlers {
  return {
    getSymbols: (_call, callback) =>
      callback(null, {
        symbols: [
          { code: '005930', name: '삼성전자', market: jtsV1.Market.KOSPI, sector: '전기전자' },
          { code: '247540', name: '에코프로비엠', market: jtsV1.Market.KOSDAQ, sector: '' },
        ],
      }),
    getCandles: (call) => {
      for (let i = 0; i < 3; i++) call.write(wireCandle(i));
      call.end();
    },
    getQuote: (call, callback) => callback(null, { ...WIRE_QUOTE, symbol: call.request.symbol }),
    streamQuotes: (call) => {
      let n = 0;
      const timer = setInterval(() => {
        for (const symbol of call.request.symbols) call.write({ ...WIRE_QUOTE, symbol, volume: ++n });
      }, 10);
      call.on('cancelled', () => clearInterval(timer));
      call.on('close', () => clearInterval(timer));
    },
    getBalance: (call, callback) =>
      callback(null, {
        accountId: call.request.accountId,
        totalEquity: '100000000.0000',
        cashBalance: '99284999.5',
        buyingPower: '99284999.5',
        currency: 'KRW',
      }),
    getPositions: (call, callback) =>
      callback(null, {
        positions: [
          {
            accountId: call.request.accountId,
            symbol: '005930',
            symbolName: '삼성전자',
            quantity: 10,
            avgPrice: '71450.50',
            currentPrice: '71500.00',
            marketValue: '715000',
            unrealizedPnl: '495',
            unrealizedPnlPct: '0.069',
          },
        ],
      }),
    placeOrder: (call, callback) =>
      callback(null, {
        order: {
          ...WIRE_ORDER,
          clientOrderId: call.request.clientOrderId,
          accountId: call.request.accountId,
          symbol: call.request.symbol,
          side: call.request.side,
          orderType: call.request.orderType,
          quantity: call.request.quantity,
          price: call.request.price,
          status: jtsV1.OrderStatus.ACCEPTED,
          filledQuantity: 0,
          avgFillPrice: '',
          message: '',
        },
      }),
    cancelOrder: (call, callback) =>
      callback(null, {
        order: { ...WIRE_ORDER, orderId: call.request.orderId, status: jtsV1.OrderStatus.CANCELLED },
      }),
    getOrderStatus: (call, callback) =>
      callback(null, {
        order: {
          ...WIRE_ORDER,
          orderId: call.request.orderId ?? WIRE_ORDER.orderId,
          clientOrderId: call.request.clientOrderId ?? WIRE_ORDER.clientOrderId,
        },
      }),
  };
}

export class ScriptedJtsServer {
  /** Replace a handler to script a test; restored by reset(). */
  handlers: JtsHandlers = defaultHandlers();
  /** Calls received per method. */
  readonly calls: Record<JtsMethod, number> = zeroCounts();
  /** Requests received, in order, per method. */
  readonly requests: Record<JtsMethod, unknown[]> = emptyRequests();
  readonly health = new HealthImplementation({
    '': 'SERVING',
    [MARKET_DATA_SERVICE]: 'SERVING',
    [TRADING_SERVICE]: 'SERVING',
  });
  /** Milliseconds every Health/Check answer is held back (for slow-probe tests). */
  healthDelayMs = 0;
  private server: Server | undefined;
  private boundPort = 0;

  /** `withHealth: false` serves no grpc.health.v1.Health at all (a server that predates it). */
  constructor(private readonly withHealth = true) {}

  static async start(options: { withHealth?: boolean } = {}): Promise<ScriptedJtsServer> {
    const server = new ScriptedJtsServer(options.withHealth ?? true);
    await server.listen(0);
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return `127.0.0.1:${this.boundPort}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  setHealth(service: string, serving: ServingStatus): void {
    this.health.setStatus(service, serving);
  }

  reset(): void {
    this.handlers = defaultHandlers();
    this.healthDelayMs = 0;
    for (const method of Object.keys(this.calls) as JtsMethod[]) {
      this.calls[method] = 0;
      this.requests[method] = [];
    }
  }

  /** Closes the port at once, cancelling calls in flight (like a crashed or stopped JTS server). */
  stop(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  /** Serves again on the same port. */
  async restart(): Promise<void> {
    this.stop();
    await this.listen(this.boundPort);
  }

  private async listen(port: number): Promise<void> {
    const server = new Server();
    server.addService(jtsV1.MarketDataServiceService, this.implementation([
      'getSymbols',
      'getCandles',
      'getQuote',
      'streamQuotes',
    ]));
    server.addService(jtsV1.TradingServiceService, this.implementation([
      'getBalance',
      'getPositions',
      'placeOrder',
      'cancelOrder',
      'getOrderStatus',
    ]));
    if (this.withHealth) this.addHealth(server);
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
  }

  /** Delegates to the current handler, so tests can swap handlers while the server runs. */
  private implementation(methods: JtsMethod[]): UntypedServiceImplementation {
    const implementation: UntypedServiceImplementation = {};
    for (const method of methods) {
      const handle = (call: { request: unknown }, callback?: unknown) => {
        this.calls[method]++;
        this.requests[method].push(call.request);
        (this.handlers[method] as (call: unknown, callback?: unknown) => void)(call, callback);
      };
      implementation[method] = handle as UntypedHandleCall;
    }
    return implementation;
  }

  /** The health service, with an optional delay in front of Check. */
  private addHealth(server: Server): void {
    const wrapper = {
      addService: (service: Parameters<Server['addService']>[0], impl: UntypedServiceImplementation) => {
        const check = impl['check'] as (call: unknown, callback: unknown) => void;
        const delayedCheck = (call: unknown, callback: unknown) => {
          if (this.healthDelayMs > 0) setTimeout(() => check(call, callback), this.healthDelayMs).unref();
          else check(call, callback);
        };
        server.addService(service, { ...impl, check: delayedCheck as UntypedHandleCall });
      },
    };
    this.health.addToServer(wrapper as unknown as Server);
  }
}

function zeroCounts(): Record<JtsMethod, number> {
  return {
    getSymbols: 0,
    getCandles: 0,
    getQuote: 0,
    streamQuotes: 0,
    getBalance: 0,
    getPositions: 0,
    placeOrder: 0,
    cancelOrder: 0,
    getOrderStatus: 0,
  };
}

function emptyRequests(): Record<JtsMethod, unknown[]> {
  return {
    getSymbols: [],
    getCandles: [],
    getQuote: [],
    streamQuotes: [],
    getBalance: [],
    getPositions: [],
    placeOrder: [],
    cancelOrder: [],
    getOrderStatus: [],
  };
}
