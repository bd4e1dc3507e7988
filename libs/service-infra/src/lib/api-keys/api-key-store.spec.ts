import { createHash } from 'node:crypto';
import { testPlatformConfig } from '@qts/test-support';
import { DataSource, Entity, type MigrationInterface, type QueryRunner } from 'typeorm';
import { openServiceDataSource, serviceDataSourceOptions } from '../database/service-data-source';
import { ApiKeyInvalidError, ApiKeyNotFoundError, ApiKeyRequiredError, RequestValidationError } from '../errors/platform-errors';
import { API_KEY_ENTITIES, ApiKeyEntity, StoredApiKey } from './api-key.entity';
import { ApiKeyStore, VERIFIED_KEY_TTL_MS, type ApiKeyStoreOptions } from './api-key-store';
import { apiKeysTable } from './api-keys-table';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { actsForStrategy, requireStrategyAccess } from './strategy-access';

const ADMIN_KEY = 'store-admin-key-0123456789abcdef';

class CreateApiKeys1700000000000 implements MigrationInterface {
  readonly name = 'CreateApiKeys1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(apiKeysTable());
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_keys');
  }
}

/** Another service's key table in the same database. */
@Entity({ name: 'other_api_keys' })
class OtherApiKeyEntity extends StoredApiKey {}

class CreateOtherApiKeys1700000000001 implements MigrationInterface {
  readonly name = 'CreateOtherApiKeys1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(apiKeysTable('other_api_keys'));
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('other_api_keys');
  }
}

const WORKER_STORE: ApiKeyStoreOptions = { scopes: ['read', 'submit', 'admin'], strategyBinding: 'required', adminPath: 'admin/api-keys' };
const GATEWAY_STORE: ApiKeyStoreOptions = { scopes: ['read', 'trade', 'admin'], strategyBinding: 'none', adminPath: 'api/v1/admin/api-keys' };

describe('ApiKeyStore', () => {
  let dataSource: DataSource;
  const storeWith = (options: ApiKeyStoreOptions) =>
    new ApiKeyStore(dataSource.getRepository(ApiKeyEntity), new BootstrapAdminKey(testPlatformConfig({ adminApiKey: ADMIN_KEY })), options);

  beforeAll(async () => {
    dataSource = await openServiceDataSource(
      serviceDataSourceOptions('sqlite::memory:', { defaultSqliteFile: 'unused', entities: API_KEY_ENTITIES, migrations: [CreateApiKeys1700000000000] }),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('is created by apiKeysTable exactly as the entity describes it', async () => {
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toEqual([]);
  });

  it('keeps the keys of two services that share one database apart, each in its own table', async () => {
    const shared = await openServiceDataSource(
      serviceDataSourceOptions('sqlite::memory:', {
        defaultSqliteFile: 'unused',
        entities: [ApiKeyEntity, OtherApiKeyEntity],
        migrations: [CreateApiKeys1700000000000, CreateOtherApiKeys1700000000001],
      }),
    );
    try {
      expect((await shared.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toEqual([]);
      const admin = new BootstrapAdminKey(testPlatformConfig({ adminApiKey: ADMIN_KEY }));
      const gateway = new ApiKeyStore(shared.getRepository(ApiKeyEntity), admin, GATEWAY_STORE);
      const worker = new ApiKeyStore(shared.getRepository(OtherApiKeyEntity), admin, { ...WORKER_STORE, entity: OtherApiKeyEntity });
      const gatewayKey = await gateway.create('backend', ['read']);
      const workerKey = await worker.create('engine', ['submit'], ['momentum-kr']);

      await expect(gateway.authenticate(gatewayKey.key)).resolves.toMatchObject({ name: 'backend' });
      await expect(worker.authenticate(gatewayKey.key)).rejects.toBeInstanceOf(ApiKeyInvalidError);
      await expect(gateway.authenticate(workerKey.key)).rejects.toBeInstanceOf(ApiKeyInvalidError);
      expect((await worker.list()).map((key) => key.name)).toEqual(['engine']);
      expect(await shared.query('SELECT name FROM other_api_keys')).toEqual([{ name: 'engine' }]);
    } finally {
      await shared.destroy();
    }
  });

  it('binds keys to strategies, shows the key once and stores only its hash', async () => {
    const store = storeWith(WORKER_STORE);
    const created = await store.create('momentum', ['submit', 'read'], ['momentum-kr', 'pairs,with-comma']);
    expect(created).toMatchObject({ name: 'momentum', scopes: ['read', 'submit'], strategies: ['momentum-kr', 'pairs,with-comma'], revokedAt: null });
    const rows: Array<Record<string, unknown>> = await dataSource.query('SELECT * FROM api_keys WHERE id = ?', [created.id]);
    expect(rows[0]?.['key_hash']).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(created.key);

    const principal = await store.authenticate(created.key);
    expect(principal).toMatchObject({ keyId: created.id, name: 'momentum' });
    expect([...principal.scopes].sort()).toEqual(['read', 'submit']);
    expect(actsForStrategy(principal, 'momentum-kr')).toBe(true);
    expect(actsForStrategy(principal, 'pairs,with-comma')).toBe(true);
    expect(actsForStrategy(principal, 'momentum')).toBe(false);
    expect(() => requireStrategyAccess(principal, 'other')).toThrow("this API key may not act for strategy_id 'other'");
    expect((await store.list()).find((key) => key.id === created.id)).toEqual({ ...created, key: undefined });
  });

  it('gives admin keys, stored or bootstrap, every strategy', async () => {
    const store = storeWith(WORKER_STORE);
    const admin = await store.create('operator', ['admin']);
    expect((await store.authenticate(admin.key)).strategies).toBe('all');
    expect(actsForStrategy(await store.authenticate(ADMIN_KEY), 'any-strategy')).toBe(true);
    expect(actsForStrategy(undefined, 'any-strategy')).toBe(false);
  });

  it.each([
    ['a scope the service does not offer', WORKER_STORE, ['trade'], ['s'], 'scopes: this service offers read, submit, admin (not trade)'],
    ['a worker key without strategies', WORKER_STORE, ['submit'], [], 'strategies: a key without the admin scope must name the strategies it acts for'],
    ['an admin key with strategies', WORKER_STORE, ['admin'], ['s'], 'strategies: an admin key acts for every strategy; leave strategies out'],
    ['a gateway key with strategies', GATEWAY_STORE, ['read'], ['s'], 'strategies: keys of this service are not bound to strategies'],
    ['a gateway key with the submit scope', GATEWAY_STORE, ['submit'], [], 'scopes: this service offers read, trade, admin (not submit)'],
  ])('refuses %s (400 naming the field)', async (_case, options, scopes, strategies, message) => {
    const refusal = storeWith(options).create('x', scopes as never, strategies);
    await expect(refusal).rejects.toBeInstanceOf(RequestValidationError);
    await expect(refusal).rejects.toThrow(message);
  });

  it('refuses missing, unknown and revoked keys alike, and revokes at once', async () => {
    const store = storeWith(GATEWAY_STORE);
    const key = await store.create('reader', ['read']);
    expect((await store.authenticate(key.key)).strategies).toEqual(new Set());
    await expect(store.authenticate(undefined)).rejects.toBeInstanceOf(ApiKeyRequiredError);
    await expect(store.authenticate('qts_unknown')).rejects.toBeInstanceOf(ApiKeyInvalidError);
    await expect(store.authenticate(['a', 'b'])).rejects.toBeInstanceOf(ApiKeyInvalidError);
    const revoked = await store.revoke(key.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect((await store.revoke(key.id)).revokedAt).toBe(revoked.revokedAt);
    await expect(store.authenticate(key.key)).rejects.toBeInstanceOf(ApiKeyInvalidError);
    await expect(store.revoke('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(ApiKeyNotFoundError);
  });

  describe('verified keys, kept briefly', () => {
    // Only the clock is faked: the database driver's own timers keep running.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    const readsOf = (_store: ApiKeyStore) => jest.spyOn(dataSource.getRepository(ApiKeyEntity), 'findOneBy');

    it('reads a key once while it is trusted (concurrent requests share the read), and again after VERIFIED_KEY_TTL_MS', async () => {
      const store = storeWith(GATEWAY_STORE);
      const key = await store.create('cached', ['read']);
      const reads = readsOf(store);
      try {
        const principals = await Promise.all([store.authenticate(key.key), store.authenticate(key.key), store.authenticate(key.key)]);
        expect(principals.map((principal) => principal.keyId)).toEqual([key.id, key.id, key.id]);
        jest.advanceTimersByTime(VERIFIED_KEY_TTL_MS - 1);
        await store.authenticate(key.key);
        expect(reads).toHaveBeenCalledTimes(1);
        jest.advanceTimersByTime(1);
        await store.authenticate(key.key);
        expect(reads).toHaveBeenCalledTimes(2);
      } finally {
        reads.mockRestore();
      }
    });

    it('refuses a revoked key at once on the replica that revoked it, and within VERIFIED_KEY_TTL_MS on another', async () => {
      const revoking = storeWith(GATEWAY_STORE);
      const other = storeWith(GATEWAY_STORE);
      const key = await revoking.create('revoked soon', ['read']);
      await revoking.authenticate(key.key);
      await other.authenticate(key.key);
      await revoking.revoke(key.id);
      await expect(revoking.authenticate(key.key)).rejects.toBeInstanceOf(ApiKeyInvalidError);
      jest.advanceTimersByTime(VERIFIED_KEY_TTL_MS);
      await expect(other.authenticate(key.key)).rejects.toBeInstanceOf(ApiKeyInvalidError);
    });

    it('keeps no refusal: a key unknown a moment ago is accepted once it is stored', async () => {
      const store = storeWith(GATEWAY_STORE);
      const secret = 'qts_stored-after-a-refusal-0123456789';
      await expect(store.authenticate(secret)).rejects.toBeInstanceOf(ApiKeyInvalidError);
      await dataSource.getRepository(ApiKeyEntity).insert({
        id: '11111111-1111-4111-8111-111111111111',
        name: 'late',
        keyHash: createHash('sha256').update(secret, 'utf8').digest('hex'),
        keyPrefix: secret.slice(0, 12),
        scopes: 'read',
        strategyIds: [],
        createdAt: new Date(),
        revokedAt: null,
      });
      expect((await store.authenticate(secret)).name).toBe('late');
    });
  });
});
