import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AccountType, defaultMockSymbols, MockBrokerGateway } from '@qts/broker-domain';
import type { SimulatedRestBrokerConfig } from '../config/rest-simulator-config';
import { RestFaults } from '../faults/rest-faults';
import type { InjectedFailure } from '../faults/rest-faults';
import { Answer, json, readJsonBody, send } from '../http/http-exchange';
import type { SimulatorLogger } from '../logging/simulator-logger';
import { RestRateEnforcer } from '../rate/rest-rate-enforcer';
import type { RateViolation } from '../rate/rest-rate-enforcer';
import { TokenRegistry } from '../tokens/token-registry';
import { SimulatedOrderLedger } from './simulated-order-ledger';

/** What a route handler gets. */
export interface RouteContext {
  apiId: string;
  /** GET query or POST body. */
  input: Record<string, unknown>;
  /** The app key the request was authenticated with. */
  appKey: string;
  request: IncomingMessage;
}

export interface BrokerRoute {
  method: 'GET' | 'POST';
  path: string;
  /** The transaction ids this path serves ('token' for the token endpoint, which has none). */
  apiIds: readonly string[] | 'token';
  /** The rate-limit operation a request counts as. */
  operation: string;
  handle(context: RouteContext): Promise<Answer> | Answer;
}

/** How one broker (KIS, Kiwoom) speaks: routes, its id header, credential checks and its error answers. */
export interface BrokerDialect {
  readonly routes: readonly BrokerRoute[];
  apiIdOf(request: IncomingMessage): string;
  /** The app key a request spends the budget of (both brokers limit per app key). */
  appKeyOf(request: IncomingMessage, input: Record<string, unknown>, tokenRoute: boolean): string;
  /** The app key of a request with valid credentials, or the broker's refusal. */
  authenticate(request: IncomingMessage): { appKey: string } | Answer;
  rateLimited(violation: RateViolation, apiId: string): Answer;
  injectedFailure(failure: InjectedFailure, apiId: string): Answer;
  badRequest(message: string, apiId: string): Answer;
}

/** Everything a dialect works with. */
export interface BrokerState {
  config: SimulatedRestBrokerConfig;
  mock: MockBrokerGateway;
  /** Codes the mock market lists. */
  symbolCodes: ReadonlySet<string>;
  ledger: SimulatedOrderLedger;
  tokens: TokenRegistry;
  acceptedAppKeys: readonly string[];
  clock: () => Date;
}

export interface BrokerStats {
  up: boolean;
  port: number;
  type: string;
  requests: Record<string, number>;
  violations: Record<string, number>;
  tokensIssued: number;
  tokensIssuedPerAppKey: Record<string, number>;
  ordersPlaced: number;
  injectedFailures: number;
  stalled: number;
  rules: ReturnType<RestRateEnforcer['listRules']>;
  faults: ReturnType<RestFaults['snapshot']>;
}

export interface SimulatedRestBrokerOptions {
  config: SimulatedRestBrokerConfig;
  host: string;
  seed: number;
  tokenTtlMs: number;
  acceptedAppKeys: readonly string[];
  dialect: (state: BrokerState) => BrokerDialect;
  logger: SimulatorLogger;
  clock?: () => Date;
}

/**
 * One simulated REST broker on its own port: the broker's paths, headers and JSON over the deterministic
 * mock market, with token issuance, the broker's rate limits (violations counted) and fault injection.
 * Every request runs: route and id header -> stall -> injected failure -> rate limit (counted on arrival)
 * -> credentials -> the broker's answer -> injected latency.
 */
export class SimulatedRestBroker {
  readonly id: string;
  readonly state: BrokerState;
  readonly faults: RestFaults;
  /** Rate windows per app key: KIS and Kiwoom limit each app key (each account) on its own. */
  private readonly enforcers = new Map<string, RestRateEnforcer>();
  private readonly dialect: BrokerDialect;
  private readonly requests = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private injected = 0;
  private boundPort: number;

  constructor(private readonly options: SimulatedRestBrokerOptions) {
    const { config } = options;
    this.id = config.id;
    this.boundPort = config.port;
    const clock = options.clock ?? (() => new Date());
    const mock = new MockBrokerGateway({
      brokerId: config.id,
      brokerType: config.type,
      seed: options.seed,
      clock,
      accounts: config.accounts.map((account) => ({ id: account.id, type: account.type ?? AccountType.PAPER })),
    });
    this.state = {
      config,
      mock,
      symbolCodes: new Set(defaultMockSymbols().map((symbol) => symbol.code)),
      ledger: new SimulatedOrderLedger(mock, config.type === 'KIS' ? 10 : 7, clock),
      tokens: new TokenRegistry(options.tokenTtlMs, () => clock().getTime()),
      acceptedAppKeys: options.acceptedAppKeys,
      clock,
    };
    this.faults = new RestFaults(options.seed ^ hash(config.id));
    this.dialect = options.dialect(this.state);
  }

  get port(): number {
    return this.boundPort;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  /** Listens on the configured port (0: a free one, kept for later restarts). */
  async up(): Promise<void> {
    if (this.server !== undefined) {
      return;
    }
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.logger.error('request failed', { broker: this.id, error: error instanceof Error ? error.message : String(error) });
        send(response, json(500, { error: 'internal simulator error' }));
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(new Error(`broker ${this.id}: cannot listen on ${this.options.host}:${this.boundPort} (${error.code ?? error.message})`));
      server.once('error', failed);
      server.listen({ host: this.options.host, port: this.boundPort, exclusive: true }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    const address = server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : this.boundPort;
    this.server = server;
  }

  /** Closes the port: new connections are refused, requests in flight are cut. */
  async down(): Promise<void> {
    const server = this.server;
    if (server === undefined) {
      return;
    }
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
  }

  expireTokens(): number {
    return this.state.tokens.expireAll();
  }

  resetStats(resetRateWindows: boolean): void {
    this.requests.clear();
    this.injected = 0;
    this.state.tokens.resetCounts();
    for (const enforcer of this.enforcers.values()) {
      enforcer.reset(resetRateWindows);
    }
  }

  private enforcerFor(appKey: string): RestRateEnforcer {
    let enforcer = this.enforcers.get(appKey);
    if (enforcer === undefined) {
      enforcer = new RestRateEnforcer(this.state.config.preset, this.state.config.ruleOverrides);
      this.enforcers.set(appKey, enforcer);
    }
    return enforcer;
  }

  /** Violations per rule, over every app key. */
  private violationCounts(): Record<string, number> {
    const total: Record<string, number> = {};
    for (const enforcer of this.enforcers.values()) {
      for (const [rule, count] of Object.entries(enforcer.violationCounts())) {
        total[rule] = (total[rule] ?? 0) + count;
      }
    }
    return total;
  }

  stats(): BrokerStats {
    return {
      up: this.isUp,
      port: this.boundPort,
      type: this.state.config.type,
      requests: Object.fromEntries(this.requests),
      violations: this.violationCounts(),
      tokensIssued: this.state.tokens.totalIssued(),
      tokensIssuedPerAppKey: this.state.tokens.issuedCounts(),
      ordersPlaced: this.state.ledger.ordersPlaced,
      injectedFailures: this.injected,
      stalled: this.faults.stalled,
      rules: new RestRateEnforcer(this.state.config.preset, this.state.config.ruleOverrides).listRules(),
      faults: this.faults.snapshot(),
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const onPath = this.dialect.routes.filter((candidate) => candidate.path === url.pathname && candidate.method === request.method);
    if (onPath.length === 0) {
      send(response, json(404, { error: `no ${request.method} ${url.pathname} at this broker` }));
      return;
    }
    const tokenRoute = onPath.find((candidate) => candidate.apiIds === 'token');
    const apiId = tokenRoute === undefined ? this.dialect.apiIdOf(request) : 'token';
    const route = tokenRoute ?? onPath.find((candidate) => candidate.apiIds !== 'token' && candidate.apiIds.includes(apiId));
    if (route === undefined) {
      send(response, this.dialect.badRequest(`this path does not serve transaction '${apiId}'`, apiId));
      return;
    }
    let input: Record<string, unknown>;
    if (request.method === 'GET') {
      input = Object.fromEntries(url.searchParams);
    } else {
      const body = await readJsonBody(request);
      if (body === 'invalid') {
        send(response, this.dialect.badRequest('the request body is not a JSON object', apiId));
        return;
      }
      input = body ?? {};
    }
    this.requests.set(apiId, (this.requests.get(apiId) ?? 0) + 1);
    this.options.logger.debug('request', { broker: this.id, apiId, path: url.pathname });

    await this.faults.passStall(apiId);
    const failure = this.faults.failureFor(apiId);
    if (failure !== null) {
      this.injected += 1;
      send(response, this.dialect.injectedFailure(failure, apiId));
      return;
    }
    const violation = this.enforcerFor(this.dialect.appKeyOf(request, input, tokenRoute !== undefined)).admit(route.operation);
    if (violation !== null) {
      send(response, this.dialect.rateLimited(violation, apiId));
      return;
    }
    let appKey = '';
    if (route.apiIds !== 'token') {
      const auth = this.dialect.authenticate(request);
      if ('status' in auth) {
        send(response, auth);
        return;
      }
      appKey = auth.appKey;
    }
    const answer = await route.handle({ apiId, input, appKey, request });
    const latencyMs = this.faults.latencyFor(apiId);
    if (latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
    }
    send(response, answer);
  }
}

function hash(text: string): number {
  let value = 2_166_136_261;
  for (const char of text) {
    value = Math.imul(value ^ char.charCodeAt(0), 16_777_619);
  }
  return value >>> 0;
}
