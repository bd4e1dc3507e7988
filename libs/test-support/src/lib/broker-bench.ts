import { startRestSimulatorProcess, type RestSimulatorProcess } from './rest-simulator-process';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process';

/** How the apps under test reach their brokers: through the JTS simulator, or the REST broker simulator. */
export type TransportUnderTest = 'jts' | 'rest';

/** Both transports, for `describe.each`. */
export const TRANSPORTS_UNDER_TEST: readonly TransportUnderTest[] = Object.freeze(['jts', 'rest']);

/** A broker the simulator of the bench serves. */
export interface BenchBroker {
  id: string;
  /** Default KIS. */
  type?: 'KIS' | 'KIWOOM';
  /**
   * What the simulator enforces: `none` (default) or the broker's own limits (kis-paper, kis-real, kiwoom). A REST
   * broker with a REAL account is served as the real server (kis-real) whatever this says.
   */
  enforce?: 'none' | 'preset';
  /** The account (a REST broker trades exactly one). Default the type's PAPER test account. */
  account?: { id: string; type: 'PAPER' | 'REAL' };
  /** JTS only: further accounts of the same broker. */
  moreAccounts?: Array<{ id: string; type: 'PAPER' | 'REAL' }>;
}

/** One broker entry of a brokers.yaml, as the apps read it. */
export type BrokersYamlEntry = Record<string, unknown>;

export interface BenchEntryOptions {
  /** The entry's id; default the simulator broker's id (several entries may point at one simulated broker). */
  id?: string;
  rateLimit?: Record<string, unknown>;
  required?: boolean;
  deadlineMs?: number;
}

/** An order as the simulated broker lists it (cancels not included). */
export interface BenchOrder {
  orderId: string;
  symbol: string;
  quantity: number;
  /** JTS only: the client order id it was placed with (REST brokers take none). */
  clientOrderId?: string;
}

/** The simulator side of one broker operation, whatever the transport calls it. */
export type BenchOperation = 'quote' | 'order';

/**
 * The brokers of an integration test behind either transport: the JTS simulator process, or the REST broker
 * simulator process with KIS- and Kiwoom-shaped APIs. The same scenario can then run over both, asking the bench
 * for the brokers.yaml entries of the apps (a `grpc` or a `rest` block with throwaway credentials in variables
 * the bench names), and for what the simulated broker saw.
 */
export interface BrokerBench {
  readonly transport: TransportUnderTest;
  /** The brokers.yaml entry of an app for simulated broker `brokerId`. */
  entry(brokerId: string, options?: BenchEntryOptions): BrokersYamlEntry;
  /** The environment variables the REST entries made so far name (their throwaway credentials); empty for JTS. */
  credentials(): Record<string, string>;
  /** Orders the broker accepted (cancels not counted). */
  ordersPlaced(brokerId: string): Promise<number>;
  /** The broker's order numbers. */
  orderIds(brokerId: string): Promise<string[]>;
  /** The broker's orders. */
  orders(brokerId: string): Promise<BenchOrder[]>;
  /** Requests of an operation that reached the broker (a REST quote is two requests: its price one is counted). */
  requests(brokerId: string, operation: BenchOperation): Promise<number>;
  /** Requests the broker refused for its rate limits. */
  violations(brokerId: string): Promise<number>;
  /** Delays the broker's answers to `operations` by `latencyMs` (after processing). */
  delay(brokerId: string, operations: BenchOperation[], latencyMs: number): Promise<void>;
  /**
   * The next `count` requests of `operation` fail before the broker processes them: `unclear` so that the client
   * cannot tell whether they arrived (JTS UNAVAILABLE on a ready channel, REST HTTP 500 without a body), or
   * `rate-limited`, the broker's definite "over the limit" refusal (JTS RESOURCE_EXHAUSTED, KIS EGW00201, Kiwoom 1700).
   */
  failNext(brokerId: string, operation: BenchOperation, count: number, how: 'unclear' | 'rate-limited'): Promise<void>;
  clearFaults(brokerId: string): Promise<void>;
  /** Closes the broker's port (connections refused) until up(). */
  down(brokerId: string): Promise<void>;
  up(brokerId: string): Promise<void>;
  resetStats(brokerId: string, resetRateWindows?: boolean): Promise<void>;
  /** The REST simulator, for what only it has (tokens); undefined for JTS. */
  readonly rest?: RestSimulatorProcess;
  /** The JTS simulator; undefined for REST. */
  readonly jts?: SimulatorProcess;
  stop(): Promise<void>;
  logs(): string;
}

const HOST = '127.0.0.1';
const DEFAULT_ACCOUNT = { KIS: '50012345-01', KIWOOM: '5012345601' } as const;
/** What KIS's gateway lists (KIS REST has no symbol list): the mock market's large caps. */
const KIS_SYMBOLS = ['005930', '000660', '035420', '005380', '051910', '068270', '035720', '105560'];

interface ResolvedBroker {
  id: string;
  type: 'KIS' | 'KIWOOM';
  accounts: Array<{ id: string; type: 'PAPER' | 'REAL' }>;
  real: boolean;
  preset: string;
}

function resolve(broker: BenchBroker, transport: TransportUnderTest): ResolvedBroker {
  const type = broker.type ?? 'KIS';
  const account = broker.account ?? { id: DEFAULT_ACCOUNT[type], type: 'PAPER' as const };
  const real = account.type === 'REAL';
  const own = type === 'KIWOOM' ? 'kiwoom' : real ? 'kis-real' : 'kis-paper';
  // The REST simulator serves the real server's tr_ids only under kis-real.
  const preset = broker.enforce === 'preset' || (transport === 'rest' && real && type === 'KIS') ? own : 'none';
  return {
    id: broker.id,
    type,
    accounts: transport === 'jts' ? [account, ...(broker.moreAccounts ?? [])] : [account],
    real,
    preset,
  };
}

/** Starts the simulator of `transport` with `brokers`; stop() it when done. */
export async function startBrokerBench(transport: TransportUnderTest, brokers: BenchBroker[], options: { jtsArgs?: string[] } = {}): Promise<BrokerBench> {
  const resolved = new Map(brokers.map((broker) => [broker.id, resolve(broker, transport)]));
  const spec = (id: string): ResolvedBroker => {
    const broker = resolved.get(id);
    if (broker === undefined) throw new Error(`the bench serves no broker '${id}'`);
    return broker;
  };
  const accountsYaml = (broker: ResolvedBroker) =>
    broker.accounts.map((account, index) => ({ id: account.id, name: `${account.type} ${account.id}`, type: account.type, default: index === 0 }));

  if (transport === 'jts') {
    const jts = await startSimulatorProcess({
      brokers: [...resolved.values()].map((broker) => ({ id: broker.id, type: broker.type, preset: broker.preset, accounts: broker.accounts })),
      ...(options.jtsArgs === undefined ? {} : { args: options.jtsArgs }),
    });
    const stats = (id: string) => jts.admin.getBrokerStats(id);
    const rpcs: Record<BenchOperation, string[]> = { quote: ['GetQuote'], order: ['PlaceOrder'] };
    return {
      transport,
      jts,
      entry: (brokerId, entryOptions = {}) => ({
        id: entryOptions.id ?? brokerId,
        type: spec(brokerId).type,
        grpc: { host: HOST, port: jts.brokerPorts[brokerId] },
        rateLimit: entryOptions.rateLimit ?? { rules: [{ id: 'requests', limit: 500, windowMs: 1_000 }] },
        required: entryOptions.required ?? true,
        ...(entryOptions.deadlineMs === undefined ? {} : { deadlineMs: entryOptions.deadlineMs }),
        accounts: accountsYaml(spec(brokerId)),
      }),
      credentials: () => ({}),
      ordersPlaced: async (id) => (await stats(id)).ordersPlaced,
      orderIds: async (id) => (await jts.admin.listOrders(id)).map((order) => order.orderId),
      orders: async (id) =>
        (await jts.admin.listOrders(id)).map((order) => ({
          orderId: order.orderId,
          symbol: order.symbol,
          quantity: Number(order.quantity),
          clientOrderId: order.clientOrderId,
        })),
      requests: async (id, operation) => (await stats(id)).requests[rpcs[operation][0]] ?? 0,
      violations: async (id) => (await stats(id)).totalViolations,
      delay: async (id, operations, latencyMs) => {
        await jts.admin.setFaults(id, { latency: { latencyMs, rpcs: operations.flatMap((operation) => rpcs[operation]) } });
      },
      failNext: async (id, operation, count, how) => {
        await jts.admin.setFaults(id, { failNext: { count, code: how === 'unclear' ? 'UNAVAILABLE' : 'RESOURCE_EXHAUSTED', rpcs: rpcs[operation] } });
      },
      clearFaults: async (id) => void (await jts.admin.clearFaults(id)),
      down: async (id) => void (await jts.admin.down(id)),
      up: async (id) => void (await jts.admin.up(id)),
      resetStats: (id, resetRateWindows = false) => jts.admin.resetStats(id, { resetRateWindows }),
      stop: () => jts.stop(),
      logs: () => jts.logs(),
    };
  }

  const rest = await startRestSimulatorProcess({
    brokers: [...resolved.values()].map((broker) => ({
      id: broker.id,
      type: broker.type,
      preset: broker.preset,
      accounts: broker.accounts.map((account) => account.id),
    })),
  });
  const credentials: Record<string, string> = {};
  const apis = (broker: ResolvedBroker): Record<BenchOperation, string[]> =>
    broker.type === 'KIWOOM'
      ? { quote: ['ka10001'], order: ['kt10000', 'kt10001'] }
      : { quote: ['FHKST01010100'], order: broker.real ? ['TTTC0012U', 'TTTC0011U'] : ['VTTC0012U', 'VTTC0011U'] };
  return {
    transport,
    rest,
    entry: (brokerId, entryOptions = {}) => {
      const broker = spec(brokerId);
      const id = entryOptions.id ?? brokerId;
      const variable = `BENCH_${id.toUpperCase().replace(/-/g, '_')}`;
      credentials[`${variable}_APP_KEY`] = `PSbench-${id}-app-key`;
      credentials[`${variable}_APP_SECRET`] = `bench-${id}-app-secret`;
      return {
        id,
        type: broker.type,
        rest: {
          environment: broker.real ? 'real' : 'paper',
          baseUrl: rest.brokerUrl(brokerId),
          credentials: { appKey: { env: `${variable}_APP_KEY` }, appSecret: { env: `${variable}_APP_SECRET` } },
          ...(broker.type === 'KIS' ? { symbols: KIS_SYMBOLS } : {}),
        },
        rateLimit: entryOptions.rateLimit ?? { rules: [{ id: 'requests', limit: 500, windowMs: 1_000 }] },
        required: entryOptions.required ?? true,
        ...(entryOptions.deadlineMs === undefined ? {} : { deadlineMs: entryOptions.deadlineMs }),
        accounts: accountsYaml(broker),
      };
    },
    credentials: () => ({ ...credentials }),
    ordersPlaced: async (id) => (await rest.stats(id)).ordersPlaced,
    orderIds: async (id) => (await rest.orders(id)).filter((row) => row.kind === 'order').map((row) => row.orderNo),
    orders: async (id) =>
      (await rest.orders(id))
        .filter((row) => row.kind === 'order')
        .map((row) => ({ orderId: row.orderNo, symbol: row.symbol, quantity: row.quantity })),
    requests: async (id, operation) => {
      const counted = (await rest.stats(id)).requests;
      return apis(spec(id))[operation].reduce((sum, api) => sum + (counted[api] ?? 0), 0);
    },
    violations: async (id) => Object.values((await rest.stats(id)).violations).reduce((sum, count) => sum + count, 0),
    delay: (id, operations, latencyMs) =>
      rest.setFaults(id, { latency: { latencyMs, apis: operations.flatMap((operation) => apis(spec(id))[operation]) } }),
    failNext: (id, operation, count, how) =>
      rest.setFaults(id, {
        failNext: {
          count,
          status: 500,
          ...(how === 'rate-limited' ? { brokerCode: spec(id).type === 'KIWOOM' ? '1700' : 'EGW00201' } : {}),
          apis: apis(spec(id))[operation],
        },
      }),
    clearFaults: (id) => rest.clearFaults(id),
    down: (id) => rest.down(id),
    up: (id) => rest.up(id),
    resetStats: (id, resetRateWindows = false) => rest.resetStats(id, resetRateWindows),
    stop: () => rest.stop(),
    logs: () => rest.logs(),
  };
}
