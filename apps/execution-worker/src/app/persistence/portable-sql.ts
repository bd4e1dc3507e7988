import type { EntityManager } from 'typeorm';

export type SqlValue = string | number | boolean | null;

export interface SqlResult {
  rows: Record<string, unknown>[];
  affected: number;
}

/**
 * Runs hand-written SQL with `:name` parameters on SQLite and PostgreSQL alike: placeholders become `?` or `$n`,
 * booleans become 1/0 for SQLite. The per-intent statements go through here instead of TypeORM's query builder,
 * whose per-statement cost dominated a burst of intents (and, on SQLite, blocks the event loop). Only the statements
 * that work unchanged on both databases are used (INSERT ... RETURNING needs SQLite 3.35+).
 */
export class PortableSql {
  private readonly compiled = new Map<string, { text: string; names: string[] }>();

  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  async run(manager: EntityManager, sql: string, params: Record<string, SqlValue> = {}): Promise<SqlResult> {
    const { text, names } = this.compile(sql);
    const values = names.map((name) => {
      if (!(name in params)) throw new Error(`SQL parameter :${name} has no value`);
      const value = params[name];
      return this.dialect === 'sqlite' && typeof value === 'boolean' ? (value ? 1 : 0) : value;
    });
    const runner = manager.queryRunner;
    if (runner === undefined) throw new Error('PortableSql.run needs a transactional EntityManager');
    const result = await runner.query(text, values, true);
    return { rows: (result.records ?? []) as Record<string, unknown>[], affected: result.affected ?? 0 };
  }

  private compile(sql: string): { text: string; names: string[] } {
    let compiled = this.compiled.get(sql);
    if (compiled === undefined) {
      const names: string[] = [];
      const text = sql.replace(/(?<!:):([A-Za-z][A-Za-z0-9_]*)/g, (_match, name: string) => {
        names.push(name);
        return this.dialect === 'sqlite' ? '?' : `$${names.length}`;
      });
      compiled = { text, names };
      this.compiled.set(sql, compiled);
    }
    return compiled;
  }
}

/** A boolean column as either driver returns it (SQLite: 0/1). */
export function sqlBoolean(value: unknown): boolean | null {
  return value === null || value === undefined ? null : value === true || value === 1 || value === '1' || value === 't';
}

/** An integer column as either driver returns it (node-postgres: int8 as string). */
export function sqlInteger(value: unknown): number {
  return Number(value);
}

export function sqlText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
