import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoredAccessToken, TokenLockTimeoutError, TokenStore } from './token-store';

export interface SqliteTokenStoreOptions {
  /** How long an issuance lock lives if its holder dies; default 30 s. */
  lockTtlMs?: number;
  /** How often a waiter looks at the lock again; default 100 ms. */
  pollMs?: number;
  /** How long a statement waits for another process's write; default 2 s. */
  busyTimeoutMs?: number;
}

interface TokenRow {
  sealed: string;
  issued_at: number;
  expires_at: number;
}

/**
 * Tokens shared by the processes of one host (the gateway and the worker of the embedded default) through a
 * SQLite file: one token per app key for all of them, issued by one process under a lock row (owner and expiry,
 * taken in an IMMEDIATE transaction) while the others wait and then read it. Without it each process would issue
 * its own, and with KIS's one issuance a minute the second would wait a minute. Tokens are stored sealed (see
 * token-sealing.ts) and the file is readable by its owner only. Every process of the host names the same file.
 */
export class SqliteTokenStore implements TokenStore {
  private readonly db: Database.Database;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;

  constructor(
    readonly path: string,
    options: SqliteTokenStoreOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 2_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS access_tokens (
        key TEXT PRIMARY KEY, sealed TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS issue_locks (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `);
    chmodSync(path, 0o600);
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.pollMs = options.pollMs ?? 100;
  }

  async read(key: string): Promise<StoredAccessToken | undefined> {
    const row = this.db
      .prepare<[string, number], TokenRow>('SELECT sealed, issued_at, expires_at FROM access_tokens WHERE key = ? AND expires_at > ?')
      .get(key, this.now());
    return row === undefined ? undefined : { sealed: row.sealed, issuedAt: row.issued_at, expiresAt: row.expires_at };
  }

  async write(key: string, token: StoredAccessToken): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO access_tokens (key, sealed, issued_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(key, token.sealed, token.issuedAt, token.expiresAt);
  }

  async withIssueLock<T>(key: string, waitMs: number, issue: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const giveUpAt = this.now() + waitMs;
    while (!this.tryLock(key, owner)) {
      if (this.now() >= giveUpAt) {
        throw new TokenLockTimeoutError(waitMs);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    try {
      return await issue();
    } finally {
      this.db.prepare('DELETE FROM issue_locks WHERE key = ? AND owner = ?').run(key, owner);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Takes the lock when it is free or its holder's time ran out; one process wins. */
  private tryLock(key: string, owner: string): boolean {
    const take = this.db.transaction((now: number) => {
      const held = this.db
        .prepare<[string], { expires_at: number }>('SELECT expires_at FROM issue_locks WHERE key = ?')
        .get(key);
      if (held !== undefined && held.expires_at > now) return false;
      this.db
        .prepare('INSERT OR REPLACE INTO issue_locks (key, owner, expires_at) VALUES (?, ?, ?)')
        .run(key, owner, now + this.lockTtlMs);
      return true;
    });
    return take.immediate(this.now());
  }
}
