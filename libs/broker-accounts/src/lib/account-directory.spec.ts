import { AccountNotFoundError, AccountType, BrokerNotFoundError, BrokerType, InvalidArgumentError, type BrokerConfig } from '@qts/broker-domain';
import { classifyError, openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { AccountConflictError } from './account-conflict.error';
import { AccountDirectory } from './account-directory';
import { runtimeAccountEntity } from './runtime-account.entity';
import { RuntimeAccountStore } from './runtime-account-store';
import { runtimeAccountsTable } from './runtime-accounts-table';

const TABLE = 'test_accounts';
const Entity = runtimeAccountEntity(TABLE);

class CreateTestAccounts1700000000000 implements MigrationInterface {
  readonly name = 'CreateTestAccounts1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(runtimeAccountsTable(TABLE));
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }
}

function broker(id: string, extra: Partial<BrokerConfig> = {}): BrokerConfig {
  return {
    id,
    type: BrokerType.KIS,
    grpc: { host: '127.0.0.1', port: 1 },
    rateLimit: { rules: [] },
    required: false,
    mock: false,
    accounts: [{ id: '50012345-01', name: '모의투자', type: AccountType.PAPER, isDefault: true }],
    ...extra,
  } as BrokerConfig;
}

const BROKERS = [broker('kis'), broker('direct', { transport: 'rest' } as Partial<BrokerConfig>)];

describe('AccountDirectory', () => {
  let folder: string;
  let dataSources: DataSource[];
  let clock: Date;

  async function openDirectory(file = 'accounts.sqlite'): Promise<AccountDirectory> {
    const dataSource = await openServiceDataSource(
      serviceDataSourceOptions(`sqlite:${join(folder, file)}`, { defaultSqliteFile: '', entities: [Entity], migrations: [CreateTestAccounts1700000000000] }),
    );
    dataSources.push(dataSource);
    const directory = new AccountDirectory(BROKERS, new RuntimeAccountStore(dataSource.getRepository(Entity)), {
      refreshMs: 60_000,
      now: () => clock,
    });
    await directory.start();
    return directory;
  }

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'accounts-'));
    dataSources = [];
    clock = new Date('2026-01-05T00:00:00.000Z');
  });

  afterEach(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('uses an added account at once, after the configured ones, and lists both with their source', async () => {
    const directory = await openDirectory();
    const changes = jest.fn();
    directory.onChange(changes);

    const added = await directory.add({ brokerId: 'kis', accountId: ' 50012345-02 ', name: ' 모의 2 ', type: AccountType.PAPER }, 'ops-admin');

    expect(added).toEqual({
      created: true,
      account: {
        brokerId: 'kis',
        id: '50012345-02',
        name: '모의 2',
        type: AccountType.PAPER,
        isDefault: false,
        source: 'runtime',
        active: true,
        addedAt: '2026-01-05T00:00:00.000Z',
        addedBy: 'ops-admin',
      },
    });
    expect(changes).toHaveBeenCalledTimes(1);
    expect(directory.findAccount('kis', '50012345-02')).toEqual({ id: '50012345-02', name: '모의 2', type: AccountType.PAPER, isDefault: false });
    expect(directory.broker('kis')?.accounts.map((account) => account.id)).toEqual(['50012345-01', '50012345-02']);
    expect(directory.list('kis').map((account) => [account.id, account.source, account.active])).toEqual([
      ['50012345-01', 'config', true],
      ['50012345-02', 'runtime', true],
    ]);
  });

  it('names accounts in metrics without their numbers: configured by position, added by their row, others unconfigured', async () => {
    const directory = await openDirectory();
    await directory.add({ brokerId: 'kis', accountId: '50012345-02', name: 'a', type: AccountType.PAPER }, 'ops');
    await directory.add({ brokerId: 'kis', accountId: '50012345-03', name: 'b', type: AccountType.PAPER }, 'ops');
    await directory.deactivate('kis', '50012345-02');
    const labels = ['50012345-01', '50012345-02', '50012345-03', '99999999-99'].map((id) => directory.metricLabel('kis', id));
    expect(labels).toEqual(['1', 'runtime-1', 'runtime-2', 'unconfigured']);
    expect(directory.metricLabel('other', '50012345-01')).toBe('unconfigured');
    expect(labels.join(' ')).not.toMatch(/\d{8}/);
  });

  it('answers a repeated addition as the same account, and refuses another name or type of an active one', async () => {
    const directory = await openDirectory();
    await directory.add({ brokerId: 'kis', accountId: '50012345-02', name: 'two', type: AccountType.PAPER });

    const repeat = await directory.add({ brokerId: 'kis', accountId: '50012345-02', name: 'two', type: AccountType.PAPER });
    expect(repeat.created).toBe(false);
    await expect(directory.add({ brokerId: 'kis', accountId: '50012345-02', name: 'two', type: AccountType.REAL })).rejects.toThrow(
      AccountConflictError,
    );
    await expect(directory.add({ brokerId: 'kis', accountId: '50012345-02', name: 'other', type: AccountType.PAPER })).rejects.toThrow(
      /already added with another name or type/,
    );
  });

  it('refuses what can never be added, naming the reason, without writing anything', async () => {
    const directory = await openDirectory();
    const refusal = (input: Parameters<AccountDirectory['add']>[0]) => directory.add(input).then(() => undefined, (error: unknown) => error);

    const configured = await refusal({ brokerId: 'kis', accountId: '50012345-01', name: 'x', type: AccountType.PAPER });
    expect(configured).toBeInstanceOf(AccountConflictError);
    expect(classifyError(configured)).toMatchObject({ httpStatus: 409, code: 'ACCOUNT_CONFLICT' });
    expect(await refusal({ brokerId: 'nope', accountId: '1', name: 'x', type: AccountType.PAPER })).toBeInstanceOf(BrokerNotFoundError);
    const rest = await refusal({ brokerId: 'direct', accountId: '1', name: 'x', type: AccountType.PAPER });
    expect(rest).toBeInstanceOf(InvalidArgumentError);
    expect((rest as InvalidArgumentError).field).toBe('brokerId');
    for (const [input, field] of [
      [{ brokerId: 'kis', accountId: '5001 2345', name: 'x', type: AccountType.PAPER }, 'accountId'],
      [{ brokerId: 'kis', accountId: '-01', name: 'x', type: AccountType.PAPER }, 'accountId'],
      [{ brokerId: 'kis', accountId: '1'.repeat(33), name: 'x', type: AccountType.PAPER }, 'accountId'],
      [{ brokerId: 'kis', accountId: '1', name: '   ', type: AccountType.PAPER }, 'name'],
      [{ brokerId: 'kis', accountId: '1', name: 'a\u0000b', type: AccountType.PAPER }, 'name'],
      [{ brokerId: 'kis', accountId: '1', name: 'x'.repeat(41), type: AccountType.PAPER }, 'name'],
      [{ brokerId: 'kis', accountId: '1', name: 'x', type: 'MARGIN' as AccountType }, 'type'],
    ] as const) {
      const error = await refusal(input);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
    expect(directory.list()).toHaveLength(2);
  });

  it('deactivates a runtime account at once (no new lookups succeed), keeps it listed, and can add it again', async () => {
    const directory = await openDirectory();
    await directory.add({ brokerId: 'kis', accountId: '7777', name: 'seven', type: AccountType.REAL });
    clock = new Date('2026-01-05T01:00:00.000Z');

    const deactivated = await directory.deactivate('kis', '7777');
    expect(deactivated).toMatchObject({ id: '7777', active: false, deactivatedAt: '2026-01-05T01:00:00.000Z' });
    expect(directory.findAccount('kis', '7777')).toBeUndefined();
    await expect(directory.requireAccount('kis', '7777')).rejects.toThrow(/was deactivated/);
    expect(await directory.deactivate('kis', '7777')).toMatchObject({ active: false });
    expect(directory.list('kis').find((account) => account.id === '7777')).toMatchObject({ active: false, type: AccountType.REAL });

    const again = await directory.add({ brokerId: 'kis', accountId: '7777', name: 'seven again', type: AccountType.PAPER });
    expect(again).toMatchObject({ created: true, account: { active: true, name: 'seven again', type: AccountType.PAPER } });
    expect(directory.findAccount('kis', '7777')?.type).toBe(AccountType.PAPER);
  });

  it('refuses to deactivate a configured account or one never added', async () => {
    const directory = await openDirectory();
    await expect(directory.deactivate('kis', '50012345-01')).rejects.toThrow(AccountConflictError);
    await expect(directory.deactivate('kis', '404')).rejects.toThrow(AccountNotFoundError);
    await expect(directory.deactivate('nope', '404')).rejects.toThrow(BrokerNotFoundError);
    await expect(directory.requireAccount('kis', '404')).rejects.toThrow(/is not configured for broker 'kis'/);
  });

  it("finds another replica's addition at the first lookup, and its deactivation at the next refresh", async () => {
    const here = await openDirectory('shared.sqlite');
    const there = await openDirectory('shared.sqlite');

    await there.add({ brokerId: 'kis', accountId: '8888', name: 'eight', type: AccountType.PAPER });
    expect(here.findAccount('kis', '8888')).toBeUndefined();
    expect(await here.requireAccount('kis', '8888')).toMatchObject({ id: '8888', name: 'eight' });

    await there.deactivate('kis', '8888');
    expect(here.findAccount('kis', '8888')).toBeDefined();
    await here.reload();
    expect(here.findAccount('kis', '8888')).toBeUndefined();
  });

  it('answers two replicas adding the same account at the same moment alike, with one row', async () => {
    const one = await openDirectory('shared.sqlite');
    const two = await openDirectory('shared.sqlite');
    const input = { brokerId: 'kis', accountId: '9999', name: 'nine', type: AccountType.PAPER };

    const results = await Promise.all([one.add(input), two.add(input)]);

    expect(results.map((result) => result.account.id)).toEqual(['9999', '9999']);
    expect(results.filter((result) => result.created).length).toBeGreaterThanOrEqual(1);
    expect(one.list('kis').filter((account) => account.id === '9999')).toHaveLength(1);
  });

  it('keeps the last list and warns when a refresh fails, and refreshes by itself every refreshMs', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const rows = [{ id: 1, brokerId: 'kis', accountId: '1234', name: 'x', type: 'PAPER', active: true, addedBy: null, createdAt: clock, updatedAt: clock, deactivatedAt: null }];
      const listAll = jest.fn().mockResolvedValueOnce([]).mockResolvedValueOnce(rows).mockRejectedValueOnce(new Error('database gone'));
      const warn = jest.fn();
      const directory = new AccountDirectory(BROKERS, { listAll } as unknown as RuntimeAccountStore, { refreshMs: 1_000, warn });
      await directory.start();
      expect(directory.findAccount('kis', '1234')).toBeUndefined();

      await jest.advanceTimersByTimeAsync(1_000);
      expect(directory.findAccount('kis', '1234')).toBeDefined();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('database gone'));
      expect(directory.findAccount('kis', '1234')).toBeDefined();
      directory.stop();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(listAll).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes a stored type it does not know as REAL, the guarded type', async () => {
    const rows = [{ id: 1, brokerId: 'kis', accountId: '1234', name: 'x', type: 'MARGIN', active: true, addedBy: null, createdAt: clock, updatedAt: clock, deactivatedAt: null }];
    const directory = new AccountDirectory(BROKERS, { listAll: async () => rows } as unknown as RuntimeAccountStore, { refreshMs: 1_000 });
    await directory.reload();
    expect(directory.findAccount('kis', '1234')?.type).toBe(AccountType.REAL);
  });
});
