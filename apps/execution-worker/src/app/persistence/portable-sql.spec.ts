import type { EntityManager } from 'typeorm';
import { PortableSql, sqlBoolean, sqlInteger, sqlText } from './portable-sql';

function managerRecording(calls: unknown[][]): EntityManager {
  return {
    queryRunner: {
      query: async (...args: unknown[]) => {
        calls.push(args);
        return { records: [{ id: 1 }], affected: 1 };
      },
    },
  } as unknown as EntityManager;
}

describe('PortableSql', () => {
  it('writes ? placeholders and 1/0 booleans for SQLite, in parameter order', async () => {
    const calls: unknown[][] = [];
    const sql = new PortableSql('sqlite');

    const result = await sql.run(managerRecording(calls), 'UPDATE t SET a = :a, b = :b WHERE c = :a', { a: 'x', b: true });

    expect(calls).toEqual([['UPDATE t SET a = ?, b = ? WHERE c = ?', ['x', 1, 'x'], true]]);
    expect(result).toEqual({ rows: [{ id: 1 }], affected: 1 });
  });

  it('writes $n placeholders and keeps booleans for PostgreSQL, leaving :: casts alone', async () => {
    const calls: unknown[][] = [];
    const sql = new PortableSql('postgres');

    await sql.run(managerRecording(calls), 'SELECT :a::text, :b', { a: 'x', b: false });

    expect(calls).toEqual([['SELECT $1::text, $2', ['x', false], true]]);
  });

  it('refuses a missing parameter and a manager outside a transaction', async () => {
    const sql = new PortableSql('sqlite');
    await expect(sql.run(managerRecording([]), 'SELECT :a', {})).rejects.toThrow('SQL parameter :a has no value');
    await expect(sql.run({} as EntityManager, 'SELECT 1')).rejects.toThrow('transactional EntityManager');
  });

  it('reads booleans, integers and text as either driver returns them', () => {
    expect([sqlBoolean(1), sqlBoolean(0), sqlBoolean(true), sqlBoolean(false), sqlBoolean(null)]).toEqual([
      true,
      false,
      true,
      false,
      null,
    ]);
    expect(sqlInteger('9007199254740991')).toBe(9007199254740991);
    expect([sqlText(null), sqlText(5)]).toEqual([null, '5']);
  });
});
