import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  watch,
  writeSync,
  type FSWatcher,
} from 'node:fs';
import { dirname } from 'node:path';
import type { EffectiveRateLimitRule, RateLimitPriority } from '../rate-limit-ledger';
import type {
  LedgerCost,
  LedgerHeartbeat,
  LedgerRestoredGrant,
  LedgerRuleUsage,
  LedgerTakeRequest,
  LedgerTakeResult,
  SharedLedgerOwner,
  SharedRateLimitLedger,
} from '../shared/shared-rate-limit-ledger';
import {
  earliestRoomAt,
  isBlockedByTicket,
  type CountedGrant,
  type LedgerTicket,
} from '../shared/ledger-decisions';

/** A prepared statement of the ledger's connection (compiled once). */
type Sql = (text: string) => Database.Statement;

/**
 * Milliseconds on the host's monotonic clock (CLOCK_MONOTONIC on Linux): the same for every process of
 * the host, and unaffected by wall-clock changes. Restarts at boot, which is why the file records the
 * boot it was written in.
 */
export function hostMonotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Tells waiting processes that budget was released; a bell rung by one process is heard by all. */
export interface LedgerDoorbell {
  ring(): void;
  listen(listener: () => void): () => void;
  close(): void;
}

export interface SqliteLedgerFileOptions {
  /** The ledger file; its folder is created. Every process sharing the budget must open the same file. */
  path: string;
  owner: SharedLedgerOwner;
  /** Host-monotonic milliseconds; tests pass a manual clock shared by several "processes". */
  now?: () => number;
  /** Default: a file next to the ledger, watched by every process (inotify on Linux). */
  doorbell?: LedgerDoorbell;
  /** How long a transaction waits for another process's lock before failing (then: fail closed). Default 2 s. */
  busyTimeoutMs?: number;
}

/**
 * One SQLite file shared by the processes of one host (the embedded default: gateway and worker):
 * BEGIN IMMEDIATE transactions serialise every decision, the host's monotonic clock is the one clock.
 * WAL journal, so readers never block and a crashed process leaves nothing half-written.
 *
 * Only for processes on ONE host: on Kubernetes every pod has its own filesystem (and a network file
 * system's locking cannot be trusted), so use Redis there.
 */
export class SqliteLedgerFile {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly owner: SharedLedgerOwner;
  private readonly now: () => number;
  readonly doorbell: LedgerDoorbell;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  constructor(options: SqliteLedgerFileOptions) {
    this.path = options.path;
    this.owner = options.owner;
    this.now = options.now ?? hostMonotonicMs;
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 2_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.db.transaction(() => this.checkBoot()).immediate();
    this.doorbell = options.doorbell ?? new FileDoorbell(`${options.path}.wake`);
  }

  /** The ledger of one broker in this file. */
  ledger(broker: string): SqliteRateLimitLedger {
    return new SqliteRateLimitLedger(this, broker, this.owner);
  }

  /** Runs `decide` in an IMMEDIATE transaction (one writer at a time across processes), at one `now`. */
  transact<T>(decide: (sql: Sql, now: number) => T): T {
    if (this.closed) throw new Error(`the rate-limit ledger ${this.path} is closed`);
    return this.db.transaction(() => decide(this.statement, this.now())).immediate();
  }

  /** A prepared statement, compiled once per connection. */
  private readonly statement = (text: string): Database.Statement => {
    let prepared = this.statements.get(text);
    if (!prepared) {
      prepared = this.db.prepare(text);
      this.statements.set(text, prepared);
    }
    return prepared;
  };

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.doorbell.close();
    this.db.close();
  }

  /** Grants written before the last boot are meaningless on this boot's clock (and long past): dropped. */
  private checkBoot(): void {
    const boot = currentBootId(this.now);
    const row = this.db.prepare(`SELECT value FROM rl_meta WHERE broker = '' AND key = 'boot'`).get() as
      { value: string } | undefined;
    if (row?.value === boot) return;
    this.db.exec(`DELETE FROM rl_grants; DELETE FROM rl_owners; DELETE FROM rl_tickets;`);
    this.db.prepare(`INSERT OR REPLACE INTO rl_meta (broker, key, value) VALUES ('', 'boot', ?)`).run(boot);
    this.db
      .prepare(`INSERT OR REPLACE INTO rl_meta (broker, key, value) VALUES ('', 'epoch', ?)`)
      .run(randomBytes(6).toString('hex'));
  }
}

/** The ledger of one broker inside a {@link SqliteLedgerFile}. */
export class SqliteRateLimitLedger implements SharedRateLimitLedger {
  readonly kind = 'local' as const;
  readonly description: string;

  constructor(
    private readonly file: SqliteLedgerFile,
    private readonly broker: string,
    private readonly owner: SharedLedgerOwner,
  ) {
    this.description = `${file.path} (broker ${broker})`;
  }

  async take(request: LedgerTakeRequest): Promise<LedgerTakeResult> {
    const { result, ring } = this.file.transact((sql, now) => {
      const epoch = this.prepare(sql, now);
      const tickets = this.tickets(sql);
      const mine = tickets.find((ticket) => ticket.ticketId === request.ticketId);
      const usage = this.usageOf(
        sql,
        request.costs.map((cost) => cost.ruleId),
      );
      const roomAt = earliestRoomAt(request.costs, request.priority, usage, now, (ruleId) =>
        this.countedGrants(sql, ruleId),
      );
      const blocked = isBlockedByTicket(tickets, request, mine);
      if (!blocked && roomAt === now) {
        const insert = sql(
          `INSERT INTO rl_grants (broker, lease_id, rule, weight, window_ms, owner, priority, free_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
        );
        for (const cost of request.costs) {
          insert.run(
            this.broker,
            request.leaseId,
            cost.ruleId,
            cost.weight,
            cost.windowMs,
            this.owner.ownerId,
            request.priority === 'priority' ? 1 : 0,
          );
        }
        if (mine)
          sql(`DELETE FROM rl_tickets WHERE broker = ? AND ticket_id = ?`).run(this.broker, mine.ticketId);
        return {
          result: { granted: true as const, now, epoch },
          ring: mine !== undefined && tickets.length > 1,
        };
      }
      if (mine) {
        sql(`UPDATE rl_tickets SET expires_at = ? WHERE broker = ? AND ticket_id = ?`).run(
          now + request.ticketTtlMs,
          this.broker,
          mine.ticketId,
        );
      } else {
        sql(
          `INSERT INTO rl_tickets (broker, ticket_id, owner, priority, rules, seq, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          this.broker,
          request.ticketId,
          this.owner.ownerId,
          request.priority === 'priority' ? 1 : 0,
          request.costs.map((cost) => cost.ruleId).join('\n'),
          this.nextSeq(sql),
          now + request.ticketTtlMs,
        );
      }
      const retryAt = blocked || !Number.isFinite(roomAt) ? null : roomAt;
      return { result: { granted: false as const, retryAt, now, epoch }, ring: false };
    });
    if (ring) this.file.doorbell.ring();
    return result;
  }

  async complete(leaseId: string, outcome: 'answered' | 'unsent'): Promise<{ now: number; epoch: string }> {
    const { answer, ring } = this.file.transact((sql, now) => {
      const epoch = this.prepare(sql, now);
      if (outcome === 'answered') {
        sql(
          `UPDATE rl_grants SET free_at = ? + window_ms WHERE broker = ? AND lease_id = ? AND free_at IS NULL`,
        ).run(now, this.broker, leaseId);
      } else {
        sql(`DELETE FROM rl_grants WHERE broker = ? AND lease_id = ?`).run(this.broker, leaseId);
      }
      return { answer: { now, epoch }, ring: this.ticketCount(sql) > 0 };
    });
    if (ring) this.file.doorbell.ring();
    return answer;
  }

  async dropTicket(ticketId: string): Promise<void> {
    const ring = this.file.transact((sql) => {
      const dropped = sql(`DELETE FROM rl_tickets WHERE broker = ? AND ticket_id = ?`).run(
        this.broker,
        ticketId,
      );
      return dropped.changes > 0 && this.ticketCount(sql) > 0;
    });
    if (ring) this.file.doorbell.ring();
  }

  async heartbeat(rules: readonly EffectiveRateLimitRule[]): Promise<LedgerHeartbeat> {
    return this.file.transact((sql, now) => {
      const epoch = this.prepare(sql, now);
      const usage = this.usageOf(
        sql,
        rules.map((rule) => rule.id),
      );
      return { now, epoch, usage: rules.map((rule) => usage.get(rule.id) as LedgerRuleUsage) };
    });
  }

  async restore(grants: readonly LedgerRestoredGrant[]): Promise<{ now: number; epoch: string }> {
    return this.file.transact((sql, now) => {
      const epoch = this.prepare(sql, now);
      const insert = sql(
        `INSERT OR IGNORE INTO rl_grants (broker, lease_id, rule, weight, window_ms, owner, priority, free_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const grant of grants) {
        for (const cost of grant.costs) {
          const freeAt = grant.answeredAt === undefined ? null : grant.answeredAt + cost.windowMs;
          if (freeAt !== null && freeAt <= now) continue;
          const priority = grant.priority === 'priority' ? 1 : 0;
          insert.run(
            this.broker,
            grant.leaseId,
            cost.ruleId,
            cost.weight,
            cost.windowMs,
            this.owner.ownerId,
            priority,
            freeAt,
          );
        }
      }
      return { now, epoch };
    });
  }

  async estimateWaitMs(costs: readonly LedgerCost[], priority: RateLimitPriority): Promise<number | null> {
    return this.file.transact((sql, now) => {
      this.prepare(sql, now);
      const usage = this.usageOf(
        sql,
        costs.map((cost) => cost.ruleId),
      );
      const at = earliestRoomAt(costs, priority, usage, now, (ruleId) => this.countedGrants(sql, ruleId));
      return Number.isFinite(at) ? at - now : null;
    });
  }

  onWake(listener: () => void): () => void {
    return this.file.doorbell.listen(listener);
  }

  async close(): Promise<void> {
    // The file is shared by every broker of the process; its owner closes it.
  }

  /**
   * Housekeeping at the start of every decision: this owner is alive; owners that stopped beating have
   * their held grants counted as answered when their liveness lapsed; freed grants and lapsed tickets
   * go. Returns the ledger's epoch.
   */
  private prepare(sql: Sql, now: number): string {
    sql(
      `INSERT INTO rl_owners (broker, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (broker, owner) DO UPDATE SET expires_at = excluded.expires_at`,
    ).run(this.broker, this.owner.ownerId, now + this.owner.ownerTtlMs);
    const lapsed = sql(
      `SELECT owner, expires_at AS expiresAt FROM rl_owners WHERE broker = ? AND expires_at <= ?`,
    ).all(this.broker, now) as Array<{ owner: string; expiresAt: number }>;
    for (const { owner, expiresAt } of lapsed) {
      sql(
        `UPDATE rl_grants SET free_at = ? + window_ms WHERE broker = ? AND owner = ? AND free_at IS NULL`,
      ).run(expiresAt, this.broker, owner);
      sql(`DELETE FROM rl_tickets WHERE broker = ? AND owner = ?`).run(this.broker, owner);
      sql(`DELETE FROM rl_owners WHERE broker = ? AND owner = ?`).run(this.broker, owner);
    }
    sql(`DELETE FROM rl_grants WHERE broker = ? AND free_at IS NOT NULL AND free_at <= ?`).run(
      this.broker,
      now,
    );
    sql(`DELETE FROM rl_tickets WHERE broker = ? AND expires_at <= ?`).run(this.broker, now);
    const row = sql(`SELECT value FROM rl_meta WHERE broker = '' AND key = 'epoch'`).get() as {
      value: string;
    };
    return row.value;
  }

  private usageOf(sql: Sql, ruleIds: readonly string[]): Map<string, LedgerRuleUsage> {
    const rows = sql(
      `SELECT rule, SUM(weight) AS used, SUM(CASE WHEN free_at IS NULL THEN weight ELSE 0 END) AS held,
                SUM(CASE WHEN priority = 1 THEN weight ELSE 0 END) AS priorityUsed
         FROM rl_grants WHERE broker = ? GROUP BY rule`,
    ).all(this.broker) as Array<{ rule: string; used: number; held: number; priorityUsed: number }>;
    const byRule = new Map(rows.map((row) => [row.rule, row]));
    return new Map(
      ruleIds.map((ruleId) => {
        const row = byRule.get(ruleId);
        return [
          ruleId,
          { ruleId, used: row?.used ?? 0, held: row?.held ?? 0, priorityUsed: row?.priorityUsed ?? 0 },
        ];
      }),
    );
  }

  /** Counted grants of a rule, oldest free time first. */
  private countedGrants(sql: Sql, ruleId: string): CountedGrant[] {
    const rows = sql(
      `SELECT weight, free_at AS freeAt, priority FROM rl_grants WHERE broker = ? AND rule = ? AND free_at IS NOT NULL ORDER BY free_at`,
    ).all(this.broker, ruleId) as Array<{ weight: number; freeAt: number; priority: number }>;
    return rows.map((row) => ({ weight: row.weight, freeAt: row.freeAt, priority: row.priority === 1 }));
  }

  private tickets(sql: Sql): LedgerTicket[] {
    const rows = sql(
      `SELECT ticket_id AS ticketId, priority, rules, seq FROM rl_tickets WHERE broker = ? ORDER BY seq`,
    ).all(this.broker) as Array<{ ticketId: string; priority: number; rules: string; seq: number }>;
    return rows.map((row) => ({
      ticketId: row.ticketId,
      priority: row.priority === 1 ? 'priority' : 'standard',
      ruleIds: row.rules.split('\n'),
      seq: row.seq,
    }));
  }

  private ticketCount(sql: Sql): number {
    return (sql(`SELECT COUNT(*) AS n FROM rl_tickets WHERE broker = ?`).get(this.broker) as { n: number }).n;
  }

  private nextSeq(sql: Sql): number {
    const row = sql(
      `INSERT INTO rl_meta (broker, key, value) VALUES (?, 'seq', '1')
         ON CONFLICT (broker, key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value`,
    ).get(this.broker) as { value: string | number };
    return Number(row.value);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rl_meta (
  broker TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (broker, key));
CREATE TABLE IF NOT EXISTS rl_grants (
  broker TEXT NOT NULL, lease_id TEXT NOT NULL, rule TEXT NOT NULL, weight INTEGER NOT NULL,
  window_ms REAL NOT NULL, owner TEXT NOT NULL, priority INTEGER NOT NULL, free_at REAL,
  PRIMARY KEY (broker, lease_id, rule));
CREATE INDEX IF NOT EXISTS rl_grants_by_rule ON rl_grants (broker, rule, free_at);
CREATE INDEX IF NOT EXISTS rl_grants_by_owner ON rl_grants (broker, owner, free_at);
CREATE TABLE IF NOT EXISTS rl_owners (
  broker TEXT NOT NULL, owner TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (broker, owner));
CREATE TABLE IF NOT EXISTS rl_tickets (
  broker TEXT NOT NULL, ticket_id TEXT NOT NULL, owner TEXT NOT NULL, priority INTEGER NOT NULL,
  rules TEXT NOT NULL, seq INTEGER NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (broker, ticket_id));
`;

/** This boot of the host: the kernel's boot id where there is one, else the boot time to 10 s. */
function currentBootId(now: () => number): string {
  const bootIdFile = '/proc/sys/kernel/random/boot_id';
  if (now === hostMonotonicMs && existsSync(bootIdFile)) return readFileSync(bootIdFile, 'utf8').trim();
  if (now !== hostMonotonicMs) return 'test-clock';
  return `boot@${Math.round((Date.now() - hostMonotonicMs()) / 10_000)}`;
}

/**
 * A file next to the ledger: ringing writes to it, every process watches it. A missed ring only
 * delays a waiter until its next scheduled look at the ledger.
 */
export class FileDoorbell implements LedgerDoorbell {
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private rings = 0;

  constructor(private readonly path: string) {
    if (!existsSync(path)) closeSync(openSync(path, 'a'));
  }

  ring(): void {
    const fd = openSync(this.path, 'w');
    try {
      writeSync(fd, String(this.rings++ % 10));
    } finally {
      closeSync(fd);
    }
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.watcher) {
      this.watcher = watch(this.path, { persistent: false }, () => {
        for (const notify of [...this.listeners]) notify();
      });
      this.watcher.on('error', () => undefined);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
    };
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
