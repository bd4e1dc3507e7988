import { describeDatabaseTarget, resolveDatabaseTarget } from './database-target';

describe('resolveDatabaseTarget', () => {
  it("defaults to the service's own SQLite file under the working directory", () => {
    expect(resolveDatabaseTarget(undefined, 'data/gateway.sqlite', '/srv/qts')).toEqual({ kind: 'sqlite', database: '/srv/qts/data/gateway.sqlite' });
    expect(resolveDatabaseTarget('  ', 'data/worker.sqlite', '/srv/qts')).toEqual({ kind: 'sqlite', database: '/srv/qts/data/worker.sqlite' });
  });

  it('reads sqlite: and file: paths, relative or absolute, and memory', () => {
    expect(resolveDatabaseTarget('sqlite:tmp/gw.db', 'x', '/srv')).toEqual({ kind: 'sqlite', database: '/srv/tmp/gw.db' });
    expect(resolveDatabaseTarget('sqlite:///var/lib/gw.db', 'x', '/srv')).toEqual({ kind: 'sqlite', database: '/var/lib/gw.db' });
    expect(resolveDatabaseTarget('file:/var/lib/gw.db', 'x', '/srv')).toEqual({ kind: 'sqlite', database: '/var/lib/gw.db' });
    expect(resolveDatabaseTarget('file:///var/lib/w.sqlite', 'x', '/srv')).toEqual({ kind: 'sqlite', database: '/var/lib/w.sqlite' });
    expect(resolveDatabaseTarget('sqlite::memory:', 'x')).toEqual({ kind: 'sqlite', database: ':memory:' });
  });

  it('uses PostgreSQL for postgres:// URLs and never shows their password', () => {
    const target = resolveDatabaseTarget('postgres://qts:s3cret@db.internal:5433/gateway', 'x');
    expect(target).toEqual({ kind: 'postgres', url: 'postgres://qts:s3cret@db.internal:5433/gateway' });
    expect(describeDatabaseTarget(target)).toBe('postgres://db.internal:5433/gateway');
    expect(describeDatabaseTarget(resolveDatabaseTarget('postgresql://h/db', 'x'))).toBe('postgres://h/db');
    expect(describeDatabaseTarget({ kind: 'sqlite', database: '/x.db' })).toBe('sqlite:/x.db');
  });

  it('refuses anything else without echoing it, including a sqlite URL without a path', () => {
    expect(() => resolveDatabaseTarget('mysql://root:pw@h/db', 'x')).toThrow(/DATABASE_URL must be .*value not shown/);
    expect(() => resolveDatabaseTarget('sqlite:', 'x')).toThrow(/DATABASE_URL must be/);
  });
});
