import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GroupCommit } from './group-commit';

/**
 * Runs each unit of work of the stores in a transaction that is committed before its promise settles: its own
 * transaction on PostgreSQL; on SQLite's single connection one at a time, sharing commits under load (GroupCommit).
 */
@Injectable()
export class UnitOfWork {
  private readonly groupCommit: GroupCommit | undefined;

  constructor(private readonly dataSource: DataSource) {
    this.groupCommit = dataSource.options.type === 'better-sqlite3' ? new GroupCommit(dataSource) : undefined;
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.groupCommit === undefined ? this.dataSource.transaction(work) : this.groupCommit.run(work);
  }
}
