import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  AccountType,
  BrokerRegistry,
  BrokerType,
  ConnectionStatus,
  MockBrokerGateway,
  type ConnectionStatusEvent,
  type OrderAdapter,
} from '@qts/broker-domain';
import { BrokerConnectionManager, GrpcBrokerGateway } from '@qts/broker-grpc';
import { KisRestBrokerGateway } from '@qts/broker-rest';
import { jtsBroker, present, restBroker } from '../../test/broker-configs';
import { BrokerRateLimiters } from './broker-rate-limiters';
import { BrokerStatusFeed } from './broker-status-feed';
import { BrokerTransportModuleOptions } from './broker-transport-module-options';
import { BrokerTransportModule } from './broker-transport.module';
import { BROKER_LIMITERS, BROKER_ORDER_ADAPTERS, BROKER_TRANSPORT_OPTIONS } from './broker-transport.tokens';
import { LOCAL_TOKEN_STORE_FILE, RestBrokerConnections } from './rest-broker-connections';

const SECRETS = { KIS_KEY: 'PSkey-never-logged', KIS_SECRET: 'secret-never-logged' };

/** TEST-ONLY fetch: a KIS server answering tokens and price inquiries, counting what it was asked (no network). */
function kisServer() {
  const paths: string[] = [];
  let up = true;
  return {
    paths,
    down: () => (up = false),
    fetch: async (url: string): Promise<Response> => {
      if (!up) throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
      paths.push(new URL(url).pathname);
      if (url.includes('/oauth2/tokenP')) return Response.json({ access_token: 'token-1', expires_in: 86_400 });
      if (url.includes('inquire-asking-price')) return Response.json({ rt_cd: '0', output1: { askp1: '70200', bidp1: '70100' } });
      return Response.json({ rt_cd: '0', msg_cd: 'MCA00000', msg1: 'ok', output: { stck_prpr: '70100', prdy_vrss: '0', prdy_ctrt: '0', acml_vol: '1' } });
    },
  };
}

describe('BrokerTransportModule', () => {
  let moduleRef: TestingModule | undefined;
  let server: ReturnType<typeof kisServer>;

  beforeEach(() => {
    server = kisServer();
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  function options(overrides: Partial<BrokerTransportModuleOptions> = {}): BrokerTransportModuleOptions {
    return {
      brokers: [
        // Nothing listens on port 1: the JTS broker stays DISCONNECTED, which is all these tests need of it.
        jtsBroker('kis', 1, { rateLimit: { preset: 'kis-paper' } }),
        restBroker('kis-rest', 'http://127.0.0.1:2', { rateLimit: { preset: 'kis-real' } }),
        jtsBroker('offline', 0, {
          type: BrokerType.CREON,
          mock: true,
          rateLimit: {},
          accounts: [{ id: 'PAPER-9', name: 'paper', type: AccountType.PAPER, isDefault: true }],
        }),
      ],
      healthIntervalMs: 60_000,
      deadlineMs: 2_000,
      seed: 7,
      credentialReaders: { env: SECRETS },
      fetch: server.fetch,
      reachabilityProbe: async () => undefined,
      ...overrides,
    };
  }

  async function init(module: ReturnType<typeof BrokerTransportModule.forRoot>): Promise<TestingModule> {
    moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  it('registers a gateway per broker through its transport: JTS, REST, mock', async () => {
    const ref = await init(BrokerTransportModule.forRoot(options()));
    const registry = ref.get(BrokerRegistry);

    expect(registry.get('kis')).toBeInstanceOf(GrpcBrokerGateway);
    expect(registry.get('kis-rest')).toBeInstanceOf(KisRestBrokerGateway);
    expect(registry.get('offline')).toBeInstanceOf(MockBrokerGateway);
    expect(registry.listAll().map((info) => [info.brokerId, info.type, info.mock, info.rateLimitUsage?.rules.map((rule) => rule.ruleId) ?? null])).toEqual([
      ['kis', BrokerType.KIS, false, ['requests', 'token']],
      ['kis-rest', BrokerType.KIS, false, ['requests', 'token']],
      ['offline', BrokerType.CREON, true, null],
    ]);
    expect(ref.get(BrokerConnectionManager).listStatuses().map((state) => state.brokerId)).toEqual(['kis']);
  });

  it('takes every REST request, token included, from the broker\'s limiter, and exposes its order adapter', async () => {
    const ref = await init(BrokerTransportModule.forRoot(options()));
    const limiters = ref.get<BrokerRateLimiters>(BROKER_LIMITERS);
    const adapters = ref.get<ReadonlyMap<string, OrderAdapter>>(BROKER_ORDER_ADAPTERS);

    const quote = await ref.get(BrokerRegistry).require('kis-rest').getQuote('005930');

    expect(quote.price.toFixed()).toBe('70100');
    expect(server.paths).toEqual([
      '/oauth2/tokenP',
      '/uapi/domestic-stock/v1/quotations/inquire-price',
      '/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn',
    ]);
    expect(present(limiters.get('kis-rest'), 'the kis-rest limiter').usage().rules.map((rule) => [rule.ruleId, rule.used])).toEqual([
      ['requests', 3],
      ['token', 1],
    ]);
    expect([...adapters.keys()]).toEqual(['kis-rest']);
    expect(adapters.get('kis-rest')).toBe(ref.get(RestBrokerConnections).get('kis-rest')?.orders);
  });

  it('reports the status of a REST broker from its requests, in the registry and the status feed', async () => {
    const ref = await init(BrokerTransportModule.forRoot(options({ reachabilityProbe: () => new Promise(() => undefined) })));
    const registry = ref.get(BrokerRegistry);
    const events: ConnectionStatusEvent[] = [];
    ref.get(BrokerStatusFeed).onStatusChange((event) => events.push(event));
    expect(registry.getInfo('kis-rest')?.status).toBe(ConnectionStatus.CONNECTING);

    await registry.require('kis-rest').getQuote('005930');
    expect(registry.getInfo('kis-rest')?.status).toBe(ConnectionStatus.CONNECTED);
    server.down();
    await expect(registry.require('kis-rest').getQuote('000660')).rejects.toThrow();

    expect(registry.getInfo('kis-rest')?.status).toBe(ConnectionStatus.DISCONNECTED);
    expect(events.filter((event) => event.brokerId === 'kis-rest').map((event) => event.current)).toEqual([
      ConnectionStatus.CONNECTED,
      ConnectionStatus.DISCONNECTED,
    ]);
  });

  it('stops start-up naming the credential that cannot be read, never a value', async () => {
    const failure = Test.createTestingModule({
      imports: [BrokerTransportModule.forRoot(options({ credentialReaders: { env: { KIS_SECRET: SECRETS.KIS_SECRET } } }))],
    }).compile();

    await expect(failure).rejects.toThrow('brokers[1].rest.credentials.appKey: environment variable KIS_KEY is not set');
    await failure.catch((error: Error) => expect(error.message).not.toContain(SECRETS.KIS_SECRET));
  });

  it('shares REST tokens through a file beside the local ledger, so the processes of a host issue one per app key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-transport-'));
    try {
      const local = options({ rateLimit: { mode: 'local', ledgerPath: join(dir, 'rate-limit.sqlite') } });
      const gateway = await Test.createTestingModule({ imports: [BrokerTransportModule.forRoot(local)] }).compile();
      const worker = await Test.createTestingModule({ imports: [BrokerTransportModule.forRoot(local)] }).compile();
      await gateway.init();
      await worker.init();
      try {
        await gateway.get(BrokerRegistry).require('kis-rest').getQuote('005930');
        await worker.get(BrokerRegistry).require('kis-rest').getQuote('000660');
      } finally {
        await gateway.close();
        await worker.close();
      }

      expect(existsSync(join(dir, LOCAL_TOKEN_STORE_FILE))).toBe(true);
      expect(server.paths.filter((path) => path === '/oauth2/tokenP')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps REST tokens in Redis when the budget is shared through Redis, and in this process in memory mode', async () => {
    // Nothing listens on port 1: neither ledger nor token store is used here, only chosen (and closed at the end).
    const redis = await init(BrokerTransportModule.forRoot(options({ rateLimit: { mode: 'redis', redisUrl: 'redis://127.0.0.1:1' } })));
    expect(redis.get(RestBrokerConnections).tokenStoreDescription).toBe(
      'redis 127.0.0.1:1: one access token per app key for every process and replica',
    );
    await redis.close();
    moduleRef = undefined;

    const memory = await init(BrokerTransportModule.forRoot(options()));
    expect(memory.get(RestBrokerConnections).tokenStoreDescription).toBe('memory: this process keeps its own access tokens');
  });

  it('opens no token store without REST brokers', async () => {
    const ref = await init(BrokerTransportModule.forRoot(options({ brokers: [jtsBroker('kis', 1)] })));
    expect(ref.get(RestBrokerConnections).tokenStoreDescription).toBeUndefined();
    expect(ref.get<ReadonlyMap<string, OrderAdapter>>(BROKER_ORDER_ADAPTERS).size).toBe(0);
  });

  it('disconnects every broker, stops the REST health checks and closes the limiters on shutdown', async () => {
    let probes = 0;
    const ref = await init(
      BrokerTransportModule.forRoot(
        options({
          healthIntervalMs: 20,
          reachabilityProbe: async () => {
            probes += 1;
          },
        }),
      ),
    );
    const manager = ref.get(BrokerConnectionManager);
    const limiter = ref.get<BrokerRateLimiters>(BROKER_LIMITERS).get('kis-rest');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probes).toBeGreaterThan(0);

    await ref.close();
    moduleRef = undefined;
    const afterClose = probes;
    await new Promise((resolve) => setTimeout(resolve, 80));

    expect(probes).toBe(afterClose);
    expect(manager.listStatuses()).toEqual([]);
    await expect(present(limiter, 'the kis-rest limiter').acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
  });

  it('exposes its options under BROKER_TRANSPORT_OPTIONS', async () => {
    const given = options();
    const ref = await init(BrokerTransportModule.forRoot(given));
    expect(ref.get(BROKER_TRANSPORT_OPTIONS)).toEqual(given);
  });

  it('forRootAsync: options from a factory with injected dependencies, usable by other modules when global', async () => {
    @Injectable()
    class AppConfig {
      readonly brokers = [jtsBroker('offline', 0, { mock: true, rateLimit: {} })];
    }
    @Module({ providers: [AppConfig], exports: [AppConfig] })
    class AppConfigModule {}
    @Injectable()
    class Consumer {
      constructor(readonly registry: BrokerRegistry) {}
    }
    @Module({ providers: [Consumer] })
    class ConsumerModule {}

    moduleRef = await Test.createTestingModule({
      imports: [
        BrokerTransportModule.forRootAsync({
          isGlobal: true,
          imports: [AppConfigModule],
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ brokers: config.brokers }),
        }),
        ConsumerModule,
      ],
    }).compile();
    await moduleRef.init();

    expect(moduleRef.get(Consumer).registry.ids()).toEqual(['offline']);
    await expect(moduleRef.get(Consumer).registry.require('offline').getSymbols()).resolves.not.toHaveLength(0);
  });

  it('invalid rate-limit configuration stops start-up naming the field', async () => {
    const bad = options();
    bad.brokers[1].rateLimit = { preset: 'kis-turbo' };
    await expect(Test.createTestingModule({ imports: [BrokerTransportModule.forRoot(bad)] }).compile()).rejects.toThrow(
      'brokers[1].rateLimit.preset',
    );
  });

  it('a broker id listed twice stops start-up', async () => {
    const bad = options();
    bad.brokers.push({ ...bad.brokers[2] });
    await expect(Test.createTestingModule({ imports: [BrokerTransportModule.forRoot(bad)] }).compile()).rejects.toThrow(
      "brokers[3].id 'offline' is listed twice",
    );
  });
});
