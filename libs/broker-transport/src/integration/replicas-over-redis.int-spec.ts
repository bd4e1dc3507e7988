import { Test, type TestingModule } from '@nestjs/testing';
import { AccountType, BrokerRegistry, BrokerType, ConnectionStatus, type BrokerConfig } from '@qts/broker-domain';
import {
  startRedisServer,
  startRestSimulatorProcess,
  startSimulatorProcess,
  waitFor,
  type RedisServerProcess,
  type RestSimulatorProcess,
  type SimulatorProcess,
} from '@qts/test-support';
import { BrokerTransportModule } from '../lib/broker-transport.module';

const ACCOUNT = '50012345-01';
const CREDENTIALS = { KIS_KEY: 'PSreplica-app-key', KIS_SECRET: 'replica-app-secret' };

/**
 * Three replicas of an app (three BrokerTransportModules) with RATE_LIMIT_MODE=redis, each reaching one KIS broker
 * over REST and one through JTS: one rate budget per broker for all of them, and one access token per app key.
 */
describe('BrokerTransportModule replicas sharing Redis (real redis-server, REST and JTS simulators)', () => {
  let redis: RedisServerProcess;
  let rest: RestSimulatorProcess;
  let jts: SimulatorProcess;
  const replicas: TestingModule[] = [];

  beforeAll(async () => {
    [redis, rest, jts] = await Promise.all([
      startRedisServer(),
      startRestSimulatorProcess({ brokers: [{ id: 'kis', type: 'KIS', preset: 'kis-paper', accounts: [ACCOUNT] }] }),
      startSimulatorProcess({ brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'kis-paper', accounts: [{ id: ACCOUNT, type: AccountType.PAPER }] }] }),
    ]);
    const brokers: BrokerConfig[] = [
      {
        id: 'kis-rest',
        type: BrokerType.KIS,
        transport: 'rest',
        rest: { environment: 'paper', baseUrl: rest.brokerUrl('kis'), credentials: { appKey: { env: 'KIS_KEY' }, appSecret: { env: 'KIS_SECRET' } } },
        rateLimit: { preset: 'kis-paper' },
        accounts: [{ id: ACCOUNT, name: 'paper', type: AccountType.PAPER, isDefault: true }],
        required: true,
        mock: false,
      },
      {
        id: 'kis-jts',
        type: BrokerType.KIS,
        transport: 'jts',
        grpc: { host: '127.0.0.1', port: jts.brokerPorts['kis'] },
        rateLimit: { preset: 'kis-paper' },
        accounts: [{ id: ACCOUNT, name: 'paper', type: AccountType.PAPER, isDefault: true }],
        required: true,
        mock: false,
      },
    ];
    for (let i = 0; i < 3; i++) {
      const replica = await Test.createTestingModule({
        imports: [
          BrokerTransportModule.forRoot({
            brokers,
            rateLimit: { mode: 'redis', redisUrl: redis.url, redisKeyPrefix: 'qts:transport-test' },
            credentialReaders: { env: CREDENTIALS },
            healthIntervalMs: 1_000,
            acquireTimeoutMs: 30_000,
            // A call's deadline bounds its wait for a permit: long enough here for every queued call to be served.
            deadlineMs: 30_000,
          }),
        ],
      }).compile();
      await replica.init();
      replicas.push(replica);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await Promise.all([rest?.stop(), jts?.stop(), redis?.stop()]);
  });

  it('serves both transports alike, CONNECTED in every replica', async () => {
    for (const replica of replicas) {
      const registry = replica.get(BrokerRegistry);
      await waitFor(() => registry.listAll().every((info) => info.status === ConnectionStatus.CONNECTED), {
        timeoutMs: 10_000,
        description: 'every broker CONNECTED',
      });
    }
  });

  it('issues one access token for the app key of all replicas, and keeps them within one budget', async () => {
    await rest.resetStats('kis', true);
    await jts.admin.resetStats('kis', { resetRateWindows: true });
    const asked = replicas.flatMap((replica) => {
      const registry = replica.get(BrokerRegistry);
      return [
        registry.require('kis-rest').getQuote('005930'),
        registry.require('kis-rest').getBalance(ACCOUNT),
        registry.require('kis-jts').getQuote('005930'),
        registry.require('kis-jts').getQuote('000660'),
      ];
    });

    const results = await Promise.allSettled(asked);

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const stats = await rest.stats('kis');
    expect(stats.tokensIssued).toBe(1);
    // kis-paper allows two requests a second at each broker: three replicas asking at once stay within it.
    expect(stats.violations).toEqual({});
    expect((await jts.admin.getBrokerStats('kis')).totalViolations).toBe(0);
  }, 60_000);
});
