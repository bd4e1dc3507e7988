import { AuthenticationError, BrokerUnavailableError, RateLimitExceededError } from '@qts/broker-domain';
import { CountingPermits } from '../../../test/counting-permits';
import { RestTransportError } from '../http/rest-transport-error';
import { SecretText } from '../credentials/secret-text';
import { AccessTokenManager } from './access-token-manager';
import { InMemoryTokenStore } from './in-memory-token-store';
import type { IssuedAccessToken } from './token-issuer';
import { sealToken, tokenSealingKey, tokenStoreKey, unsealToken } from './token-sealing';
import { StoredAccessToken, TokenLockTimeoutError, TokenStore } from './token-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KEY = 'kis:paper:test';
const SEALING = tokenSealingKey(new SecretText('app-secret'), KEY);

/** A clock the test moves by hand, and an issuer of 24-hour tokens numbered 1, 2, ... */
function setup(options: { store?: TokenStore; permits?: CountingPermits; refreshMarginMs?: number } = {}) {
  let now = Date.UTC(2026, 0, 5, 0, 0, 0);
  const issued: number[] = [];
  const issuer = {
    issue: jest.fn(async (): Promise<IssuedAccessToken> => {
      issued.push(now);
      return { token: `token-${issued.length}`, expiresAt: now + DAY };
    }),
  };
  const permits = options.permits ?? new CountingPermits();
  const store = options.store ?? new InMemoryTokenStore(() => now);
  const manager = new AccessTokenManager({
    brokerId: 'kis',
    storeKey: KEY,
    sealingKey: SEALING,
    issuer,
    store,
    permits,
    now: () => now,
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
  });
  return { manager, issuer, permits, store, now: () => now, advance: (ms: number) => (now += ms) };
}

describe('AccessTokenManager', () => {
  it('issues on first use and reuses the token while it is fresh', async () => {
    const { manager, issuer, permits } = setup();

    const first = await manager.currentToken();
    const again = await manager.currentToken();

    expect([first, again]).toEqual(['token-1', 'token-1']);
    expect(issuer.issue).toHaveBeenCalledTimes(1);
    expect(permits.acquired).toEqual(['issueToken']);
    expect(permits.completed).toBe(1);
    expect(manager.issuedCount).toBe(1);
  });

  it('has concurrent first uses share one issuance', async () => {
    const { manager, issuer } = setup();

    const tokens = await Promise.all([manager.currentToken(), manager.currentToken(), manager.currentToken()]);

    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(issuer.issue).toHaveBeenCalledTimes(1);
  });

  it('replaces a token before it expires: 10 minutes ahead by default', async () => {
    const { manager, issuer, advance } = setup();
    await manager.currentToken();

    advance(DAY - 10 * 60_000 - 1);
    expect(await manager.currentToken()).toBe('token-1');
    advance(1);
    expect(await manager.currentToken()).toBe('token-2');
    expect(issuer.issue).toHaveBeenCalledTimes(2);
  });

  it('caps the margin at a tenth of a short lifetime', async () => {
    const { manager, advance } = setup({ refreshMarginMs: DAY });
    await manager.currentToken();

    advance(DAY * 0.9 - 1);
    expect(await manager.currentToken()).toBe('token-1');
    advance(1);
    expect(await manager.currentToken()).toBe('token-2');
  });

  it('replaces a refused token once, and answers later refusals of the same token with the replacement', async () => {
    const { manager, issuer } = setup();
    const first = await manager.currentToken();

    const [a, b] = await Promise.all([manager.replaceRejected(first), manager.replaceRejected(first)]);
    const later = await manager.replaceRejected(first);

    expect([a, b, later]).toEqual(['token-2', 'token-2', 'token-2']);
    expect(issuer.issue).toHaveBeenCalledTimes(2);
  });

  it('takes a token another process put in the shared store instead of issuing', async () => {
    const { manager, issuer, store, now } = setup();
    await store.write(KEY, { sealed: sealToken('from-elsewhere', SEALING), issuedAt: now(), expiresAt: now() + DAY });

    expect(await manager.currentToken()).toBe('from-elsewhere');
    expect(issuer.issue).not.toHaveBeenCalled();
  });

  it('issues anew when the shared store holds the refused token', async () => {
    const { manager, issuer, store } = setup();
    const first = await manager.currentToken();

    await expect(manager.replaceRejected(first)).resolves.toBe('token-2');
    const stored = (await store.read(KEY)) as StoredAccessToken;
    expect(unsealToken(stored.sealed, SEALING)).toBe('token-2');
    expect(issuer.issue).toHaveBeenCalledTimes(2);
  });

  it('sends no issuance without a permit: RateLimitExceededError naming the operation', async () => {
    const { manager, issuer } = setup({ permits: new CountingPermits({ grant: false }) });

    const error = await manager.currentToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect((error as RateLimitExceededError).details).toMatchObject({ operation: 'issueToken' });
    expect(issuer.issue).not.toHaveBeenCalled();
  });

  it('passes issuer failures through and tries again on the next use', async () => {
    const { manager, issuer } = setup();
    issuer.issue.mockRejectedValueOnce(new AuthenticationError('KIS refused the token issuance [EGW00103]'));

    await expect(manager.currentToken()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(manager.currentToken()).resolves.toBe('token-1');
  });

  it('completes the issuance permit by how the request ended: answered, never sent, or maybe sent', async () => {
    const { manager, issuer, permits } = setup();
    issuer.issue
      .mockRejectedValueOnce(new AuthenticationError('KIS refused the token issuance [EGW00103]'))
      .mockRejectedValueOnce(new BrokerUnavailableError('unreachable', { cause: new RestTransportError('connection', 'ECONNREFUSED') }))
      .mockRejectedValueOnce(new BrokerUnavailableError('timed out', { cause: new RestTransportError('timeout', 'timed out') }))
      .mockRejectedValueOnce(new TypeError('something else'));

    for (let attempt = 0; attempt < 4; attempt++) {
      await manager.currentToken().catch(() => undefined);
    }
    await manager.currentToken();

    expect(permits.outcomes).toEqual(['answered', 'unsent', 'abandoned', 'abandoned', 'answered']);
  });

  it('refuses an answer without a usable token', async () => {
    const { manager, issuer } = setup();
    issuer.issue.mockResolvedValueOnce({ token: '', expiresAt: Date.UTC(2030, 0, 1) });

    await expect(manager.currentToken()).rejects.toThrow(/no usable access token/);
  });

  it('reports another process that never finishes issuing as the broker being unavailable', async () => {
    const store: TokenStore = {
      read: async () => undefined,
      write: async () => undefined,
      withIssueLock: async () => {
        throw new TokenLockTimeoutError(90_000);
      },
    };
    const { manager } = setup({ store });

    await expect(manager.currentToken()).rejects.toBeInstanceOf(BrokerUnavailableError);
  });

  it('refuses a negative margin', () => {
    expect(() => setup({ refreshMarginMs: -1 })).toThrow(/refreshMarginMs/);
  });
});

describe('token sealing', () => {
  it('opens only with the key of the same app secret and store key', () => {
    const sealed = sealToken('secret-token', SEALING);

    expect(sealed).not.toContain('secret-token');
    expect(unsealToken(sealed, SEALING)).toBe('secret-token');
    expect(unsealToken(sealed, tokenSealingKey(new SecretText('other'), KEY))).toBeUndefined();
    expect(unsealToken('garbage', SEALING)).toBeUndefined();
    expect(unsealToken('', SEALING)).toBeUndefined();
  });

  it('keys the store by broker, server and a hash of the app key, never the key itself', () => {
    const key = tokenStoreKey('KIS', 'paper', new SecretText('PSsecretAppKey'));

    expect(key).toMatch(/^kis:paper:[0-9a-f]{32}$/);
    expect(key).not.toContain('PSsecretAppKey');
    expect(tokenStoreKey('KIS', 'real', new SecretText('PSsecretAppKey'))).not.toBe(key);
  });
});

describe('InMemoryTokenStore', () => {
  it('forgets a token once it expired', async () => {
    let now = 0;
    const store = new InMemoryTokenStore(() => now);
    await store.write('k', { sealed: 's', issuedAt: 0, expiresAt: 100 });

    expect(await store.read('k')).toMatchObject({ sealed: 's' });
    now = 100;
    expect(await store.read('k')).toBeUndefined();
  });

  it('runs issuers of one key one after the other and gives up waiting after the bound', async () => {
    jest.useFakeTimers();
    try {
      const store = new InMemoryTokenStore();
      const order: string[] = [];
      let release!: () => void;
      const first = store.withIssueLock('k', 1_000, async () => {
        order.push('first');
        await new Promise<void>((resolve) => (release = resolve));
      });
      const second = store.withIssueLock('k', 50_000, async () => order.push('second'));
      const impatient = store.withIssueLock('k', 500, async () => order.push('impatient')).catch((error: unknown) => error);
      const other = store.withIssueLock('other', 10, async () => order.push('other key'));

      await jest.advanceTimersByTimeAsync(600);
      expect(await impatient).toBeInstanceOf(TokenLockTimeoutError);
      await other;
      release();
      await first;
      await second;

      expect(order).toEqual(['first', 'other key', 'second']);
    } finally {
      jest.useRealTimers();
    }
  });
});
