import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretText } from '../credentials/secret-text';
import type { RestCallPermits } from '../permits/rest-call-permits';
import { AccessTokenManager } from './access-token-manager';
import { SqliteTokenStore } from './sqlite-token-store';
import type { IssuedAccessToken } from './token-issuer';
import { tokenSealingKey } from './token-sealing';
import { TokenLockTimeoutError } from './token-store';

const PERMITS: RestCallPermits = { acquire: async () => ({ complete: () => undefined }) };

describe('SqliteTokenStore: one token per app key for the processes of one host', () => {
  let dir: string;
  const stores: SqliteTokenStore[] = [];
  const open = (): SqliteTokenStore => {
    const store = new SqliteTokenStore(join(dir, 'tokens', 'broker-tokens.sqlite'), { pollMs: 5 });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-store-'));
  });

  afterEach(() => {
    stores.splice(0).forEach((store) => store.close());
    rmSync(dir, { recursive: true, force: true });
  });

  function manager(store: SqliteTokenStore, issuer: { issue(): Promise<IssuedAccessToken> }) {
    return new AccessTokenManager({
      brokerId: 'kis-rest',
      storeKey: 'kis:paper:key-hash',
      sealingKey: tokenSealingKey(new SecretText('app-secret'), 'kis:paper:key-hash'),
      issuer,
      store,
      permits: PERMITS,
    });
  }

  it('lets two processes on one file share one issuance, and keeps the file private to its owner', async () => {
    let issued = 0;
    const issuer = {
      async issue(): Promise<IssuedAccessToken> {
        issued += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { token: `token-${issued}`, expiresAt: Date.now() + 3_600_000 };
      },
    };
    const gateway = manager(open(), issuer);
    const worker = manager(open(), issuer);

    const tokens = await Promise.all([gateway.currentToken(), worker.currentToken(), worker.currentToken()]);

    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(issued).toBe(1);
    expect(statSync(stores[0].path).mode & 0o777).toBe(0o600);
  });

  it('stores the token sealed, forgets it once expired, and replaces an entry', async () => {
    let now = 1_000;
    const store = new SqliteTokenStore(join(dir, 'broker-tokens.sqlite'), {}, () => now);
    stores.push(store);

    await store.write('k', { sealed: 'sealed-1', issuedAt: 1_000, expiresAt: 2_000 });
    expect(await store.read('k')).toEqual({ sealed: 'sealed-1', issuedAt: 1_000, expiresAt: 2_000 });
    await store.write('k', { sealed: 'sealed-2', issuedAt: 1_500, expiresAt: 3_000 });
    expect((await store.read('k'))?.sealed).toBe('sealed-2');
    now = 3_000;
    expect(await store.read('k')).toBeUndefined();
  });

  it('makes a second holder wait for the lock, gives up after the wait, and frees a lock whose holder died', async () => {
    let now = 0;
    const first = new SqliteTokenStore(join(dir, 'broker-tokens.sqlite'), { lockTtlMs: 10_000, pollMs: 1 }, () => now);
    const second = new SqliteTokenStore(join(dir, 'broker-tokens.sqlite'), { lockTtlMs: 10_000, pollMs: 1 }, () => now);
    stores.push(first, second);
    let release!: () => void;
    const holding = first.withIssueLock('k', 1_000, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));

    const waiting = second.withIssueLock('k', 500, async () => 'second');
    now = 600;
    await expect(waiting).rejects.toBeInstanceOf(TokenLockTimeoutError);
    // The holder dies without releasing: after the lock's TTL another process may issue.
    now = 10_001;
    await expect(second.withIssueLock('k', 500, async () => 'second')).resolves.toBe('second');
    release();
    await holding;
  });
});
