import { AuthenticationError, BrokerType } from '@qts/broker-domain';
import { RestSimulatorProcess, startRestSimulatorProcess } from '@qts/test-support';
import { Redis } from 'ioredis';
import { CountingPermits } from '../../test/counting-permits';
import { startRedisServer, RedisServer } from '../../test/redis-server';
import { connect, KIS_ACCOUNT, presetPermits } from '../../test/rest-broker-harness';
import { SecretText } from '../lib/credentials/secret-text';
import { AccessTokenManager } from '../lib/tokens/access-token-manager';
import { RedisTokenStore } from '../lib/tokens/redis-token-store';
import type { IssuedAccessToken } from '../lib/tokens/token-issuer';
import { tokenSealingKey, tokenStoreKey } from '../lib/tokens/token-sealing';
import { TokenLockTimeoutError } from '../lib/tokens/token-store';

/** One token per app key shared by every replica through a real redis-server. */
describe('RedisTokenStore', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  const client = (): Redis => {
    const created = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((created) => created.quit().catch(() => created.disconnect())));
    await redis?.stop();
  });

  function replica(issuer: { issue(): Promise<IssuedAccessToken> }, appSecret = 'secret-1', storeKey = 'kis:paper:replicas') {
    return new AccessTokenManager({
      brokerId: 'kis',
      storeKey,
      sealingKey: tokenSealingKey(new SecretText(appSecret), storeKey),
      issuer,
      store: new RedisTokenStore(client(), { pollMs: 20 }),
      permits: new CountingPermits(),
    });
  }

  function countingIssuer(prefix = 'token', delayMs = 50) {
    let issued = 0;
    return {
      get count() {
        return issued;
      },
      async issue(): Promise<IssuedAccessToken> {
        issued += 1;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return { token: `${prefix}-${issued}`, expiresAt: Date.now() + 3_600_000 };
      },
    };
  }

  it('lets four replicas asking at once share one issuance', async () => {
    const issuer = countingIssuer();
    const replicas = [replica(issuer), replica(issuer), replica(issuer), replica(issuer)];

    const tokens = await Promise.all(replicas.map((manager) => manager.currentToken()));

    expect(issuer.count).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
  });

  it('replaces a token the broker refused once for every replica that saw the refusal', async () => {
    const issuer = countingIssuer();
    const [a, b] = [replica(issuer, 'secret-1', 'kis:paper:refused'), replica(issuer, 'secret-1', 'kis:paper:refused')];
    const first = await a.currentToken();
    await b.currentToken();

    const [fromA, fromB] = await Promise.all([a.replaceRejected(first), b.replaceRejected(first)]);

    expect(issuer.count).toBe(2);
    expect(fromA).toBe('token-2');
    expect(fromB).toBe('token-2');
  });

  it('stores the token sealed: another app secret (or a reader of Redis) cannot use it', async () => {
    const issuer = countingIssuer();
    await replica(issuer, 'secret-1', 'kis:paper:sealed').currentToken();
    const stored = await client().get('qts:broker-token:kis:paper:sealed');
    const otherIssuer = countingIssuer('other');
    const other = replica(otherIssuer, 'another-secret', 'kis:paper:sealed');

    expect(stored).not.toBeNull();
    expect(stored).not.toContain('token-1');
    // It cannot unseal the stored token, so it issues its own.
    await expect(other.currentToken()).resolves.toBe('other-1');
    expect(otherIssuer.count).toBe(1);
  });

  it('waits for another replica that holds the issuance lock, and gives up after the wait bound', async () => {
    const store = new RedisTokenStore(client(), { pollMs: 10, lockTtlMs: 5_000 });
    let release!: () => void;
    const holding = store.withIssueLock('kis:paper:lock', 1_000, () => new Promise<void>((resolve) => (release = resolve)));

    await expect(store.withIssueLock('kis:paper:lock', 100, async () => 'never')).rejects.toBeInstanceOf(TokenLockTimeoutError);
    release();
    await holding;
    await expect(store.withIssueLock('kis:paper:lock', 100, async () => 'now')).resolves.toBe('now');
  });

  it('never issues on its own when Redis is unreachable: nothing is sent', async () => {
    const issuer = countingIssuer();
    const unreachable = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(unreachable);
    const manager = new AccessTokenManager({
      brokerId: 'kis',
      storeKey: 'kis:paper:down',
      sealingKey: tokenSealingKey(new SecretText('s'), 'kis:paper:down'),
      issuer,
      store: new RedisTokenStore(unreachable),
      permits: new CountingPermits(),
    });

    await expect(manager.currentToken()).rejects.toThrow();
    expect(issuer.count).toBe(0);
  });

  describe('with the REST simulator', () => {
    let simulator: RestSimulatorProcess;

    beforeAll(async () => {
      simulator = await startRestSimulatorProcess({
        brokers: [{ id: 'kis', type: 'KIS', preset: 'kis-real', accounts: [KIS_ACCOUNT] }],
        acceptAppKeys: ['PS-replicated-key'],
      });
    });

    afterAll(async () => {
      await simulator?.stop();
    });

    it('has KIS issue one token for three replicas of one app key (one issuance a minute is KIS\' limit)', async () => {
      const replicas = [0, 1, 2].map(() =>
        connect({
          brokerType: BrokerType.KIS,
          baseUrl: simulator.brokerUrl('kis'),
          environment: 'real',
          permits: presetPermits('kis-real').permits,
          tokenStore: new RedisTokenStore(client()),
          appKey: 'PS-replicated-key',
        }),
      );

      await Promise.all(replicas.map((replicaConnection) => replicaConnection.gateway.getQuote('005930')));

      const stats = await simulator.stats('kis');
      expect(stats.tokensIssued).toBe(1);
      expect(stats.violations).toEqual({});
      expect(tokenStoreKey('KIS', 'real', new SecretText('PS-replicated-key'))).not.toContain('PS-replicated-key');
    });

    it('surfaces refused keys as AuthenticationError without the key in the message', async () => {
      await simulator.resetStats('kis');
      const connection = connect({
        brokerType: BrokerType.KIS,
        baseUrl: simulator.brokerUrl('kis'),
        environment: 'real',
        permits: presetPermits('kis-real').permits,
        tokenStore: new RedisTokenStore(client()),
        appKey: 'PS-unknown-key',
        appSecret: 'its-secret',
      });

      const error = await connection.gateway.getQuote('005930').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toMatch(/EGW00103/);
      expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toMatch(/PS-unknown-key|its-secret/);
      expect((await simulator.stats('kis')).requests['FHKST01010100']).toBeUndefined();
    });
  });
});
