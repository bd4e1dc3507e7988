import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GroupCommit } from './group-commit';
import { SqliteWalFlush } from './sqlite-wal-flush';

/**
 * Runs each unit of work of the stores in a transaction that is committed, and durable, before its promise settles:
 * its own transaction on PostgreSQL; on SQLite's single connection one at a time, sharing commits under load
 * (GroupCommit), a database file's WAL synced off the event loop (SqliteWalFlush).
 */
@Injectable()
export class UnitOfWork {
  private readonly groupCommit: GroupCommit | undefined;
  private readonly walFlush: SqliteWalFlush | undefined;

  constructor(private readonly dataSource: DataSource) {
    const { options } = dataSource;
    if (options.type !== 'better-sqlite3') return;
    this.walFlush = options.database === ':memory:' ? undefined : new SqliteWalFlush(`${options.database}-wal`);
    this.groupCommit = new GroupCommit(dataSource, undefined, this.walFlush === undefined ? undefined : () => this.flushWal());
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.groupCommit === undefined ? this.dataSource.transaction(work) : this.groupCommit.run(work);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.walFlush?.close();
  }

  private flushWal(): Promise<void> {
    return (this.walFlush as SqliteWalFlush).flush();
  }
}
