import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerCost } from '../shared/shared-rate-limit-ledger';
import { FileDoorbell, hostMonotonicMs, SqliteLedgerFile } from './sqlite-rate-limit-ledger';

const REQUESTS: LedgerCost = { ruleId: 'requests', weight: 1, limit: 2, reserved: 0, windowMs: 1000 };

describe('SqliteLedgerFile and SqliteRateLimitLedger', () => {
  let dir: string;
  let now: number;
  const files: SqliteLedgerFile[] = [];
  const open = (ownerId: string, path = join(dir, 'ledger.sqlite')): SqliteLedgerFile => {
    const file = new SqliteLedgerFile({
      path,
      owner: { ownerId, ownerTtlMs: 3_000 },
      now: () => now,
      doorbell: { ring: () => undefined, listen: () => () => undefined, close: () => undefined },
    });
    files.push(file);
    return file;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-ledger-'));
    now = 10_000;
  });

  afterEach(() => {
    files.splice(0).forEach((file) => file.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its folder and shares grants between two connections to the same file', async () => {
    const path = join(dir, 'nested', 'data', 'ledger.sqlite');
    const a = open('a', path).ledger('kis');
    const b = open('b', path).ledger('kis');
    const take = (ledger: typeof a, leaseId: string) =>
      ledger.take({
        leaseId,
        costs: [REQUESTS],
        priority: 'standard',
        ticketId: `t-${leaseId}`,
        ticketTtlMs: 3_000,
      });
    await expect(take(a, 'a1')).resolves.toMatchObject({ granted: true, now: 10_000 });
    await expect(take(b, 'b1')).resolves.toMatchObject({ granted: true });
    await expect(take(a, 'a2')).resolves.toMatchObject({ granted: false, retryAt: null });
    // a2 gives up: its ticket goes, or it would keep b2 waiting behind it.
    await a.dropTicket('t-a2');
    await a.complete('a1', 'answered');
    now = 10_400;
    await expect(take(b, 'b2')).resolves.toMatchObject({ granted: false, retryAt: 11_000 });
    // b2 now holds a ticket: a newcomer of its class queues behind it even when room opens.
    now = 11_000;
    await expect(take(a, 'a3')).resolves.toMatchObject({ granted: false });
    await expect(take(b, 'b2')).resolves.toMatchObject({ granted: true });
  });

  it('keeps each broker separate in one file', async () => {
    const file = open('a');
    const kis = file.ledger('kis');
    const creon = file.ledger('creon');
    const cost = { ...REQUESTS, limit: 1, reserved: 0 };
    await kis.take({ leaseId: 'k', costs: [cost], priority: 'standard', ticketId: 'tk', ticketTtlMs: 1 });
    await expect(
      creon.take({ leaseId: 'c', costs: [cost], priority: 'standard', ticketId: 'tc', ticketTtlMs: 1 }),
    ).resolves.toMatchObject({ granted: true });
    await expect(
      kis.heartbeat([
        {
          id: 'requests',
          limit: 1,
          configuredLimit: 1,
          windowMs: 1000,
          configuredWindowMs: 1000,
          reserved: 0,
        },
      ]),
    ).resolves.toMatchObject({
      usage: [{ ruleId: 'requests', used: 1, held: 1, priorityUsed: 0 }],
    });
  });

  it('drops the grants of an earlier boot (the monotonic clock restarted)', async () => {
    const path = join(dir, 'ledger.sqlite');
    const a = open('a', path).ledger('kis');
    await a.take({ leaseId: 'a1', costs: [REQUESTS], priority: 'standard', ticketId: 't', ticketTtlMs: 1 });
    files.pop()?.close();
    const raw = new Database(path);
    raw.prepare(`UPDATE rl_meta SET value = 'an-earlier-boot' WHERE key = 'boot'`).run();
    raw.close();
    const reopened = open('b', path).ledger('kis');
    const heartbeat = await reopened.heartbeat([
      { id: 'requests', limit: 2, configuredLimit: 2, windowMs: 1000, configuredWindowMs: 1000, reserved: 0 },
    ]);
    expect(heartbeat.usage).toEqual([{ ruleId: 'requests', used: 0, held: 0, priorityUsed: 0 }]);
  });

  it('estimates the wait: 0 with room, the free time of the oldest counted grant, null behind held ones', async () => {
    const ledger = open('a').ledger('kis');
    const cost = { ...REQUESTS, limit: 1, reserved: 0 };
    await expect(ledger.estimateWaitMs([cost], 'standard')).resolves.toBe(0);
    await ledger.take({ leaseId: 'x', costs: [cost], priority: 'standard', ticketId: 't', ticketTtlMs: 1 });
    await expect(ledger.estimateWaitMs([cost], 'standard')).resolves.toBeNull();
    await ledger.complete('x', 'answered');
    now += 250;
    await expect(ledger.estimateWaitMs([cost], 'standard')).resolves.toBe(750);
  });

  it('frees an unsent grant at once and ignores outcomes of unknown leases', async () => {
    const ledger = open('a').ledger('kis');
    const cost = { ...REQUESTS, limit: 1, reserved: 0 };
    await ledger.take({ leaseId: 'x', costs: [cost], priority: 'standard', ticketId: 't', ticketTtlMs: 1 });
    await ledger.complete('x', 'unsent');
    await ledger.complete('never-granted', 'answered');
    await expect(
      ledger.take({ leaseId: 'y', costs: [cost], priority: 'standard', ticketId: 't2', ticketTtlMs: 1 }),
    ).resolves.toMatchObject({ granted: true });
  });

  it('restores grants that are still held or within their window, and skips those already free', async () => {
    const ledger = open('a').ledger('kis');
    await ledger.restore([
      { leaseId: 'held', costs: [REQUESTS], priority: 'standard' },
      { leaseId: 'recent', costs: [REQUESTS], priority: 'priority', answeredAt: now - 400 },
      { leaseId: 'old', costs: [REQUESTS], priority: 'standard', answeredAt: now - 1_000 },
    ]);
    const heartbeat = await ledger.heartbeat([
      { id: 'requests', limit: 2, configuredLimit: 2, windowMs: 1000, configuredWindowMs: 1000, reserved: 0 },
    ]);
    expect(heartbeat.usage).toEqual([{ ruleId: 'requests', used: 2, held: 1, priorityUsed: 1 }]);
  });

  it('refuses decisions once closed', async () => {
    const file = open('a');
    const ledger = file.ledger('kis');
    file.close();
    await expect(ledger.dropTicket('t')).rejects.toThrow('is closed');
  });
});

describe('hostMonotonicMs', () => {
  it('is the same clock in every process of the host (CLOCK_MONOTONIC), in milliseconds', () => {
    const before = hostMonotonicMs();
    const hr = Number(process.hrtime.bigint()) / 1e6;
    expect(hr).toBeGreaterThanOrEqual(before);
    expect(hostMonotonicMs()).toBeGreaterThanOrEqual(hr);
  });
});

describe('FileDoorbell (a real file watched by every process)', () => {
  it('tells a listener on another doorbell of the same file that it rang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorbell-'));
    const path = join(dir, 'ledger.sqlite.wake');
    const ringer = new FileDoorbell(path);
    const listener = new FileDoorbell(path);
    try {
      const heard = new Promise<void>((resolve) => listener.listen(resolve));
      ringer.ring();
      let timer: NodeJS.Timeout | undefined;
      const silence = new Promise((resolve) => (timer = setTimeout(() => resolve('silence'), 5_000)));
      await expect(Promise.race([heard.then(() => 'heard'), silence])).resolves.toBe('heard');
      clearTimeout(timer);
    } finally {
      ringer.close();
      listener.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
