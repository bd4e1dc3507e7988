import { describeDatabaseTarget, resolveDatabaseTarget } from './database-target';

describe('resolveDatabaseTarget', () => {
  it('defaults to data/gateway.sqlite under the working directory', () => {
    expect(resolveDatabaseTarget(undefined, '/srv/qts')).toEqual({ kind: 'sqlite', database: '/srv/qts/data/gateway.sqlite' });
    expect(resolveDatabaseTarget('  ', '/srv/qts')).toEqual({ kind: 'sqlite', database: '/srv/qts/data/gateway.sqlite' });
  });

  it('reads sqlite: and file: paths, relative or absolute, and memory', () => {
    expect(resolveDatabaseTarget('sqlite:tmp/gw.db', '/srv')).toEqual({ kind: 'sqlite', database: '/srv/tmp/gw.db' });
    expect(resolveDatabaseTarget('sqlite:///var/lib/gw.db', '/srv')).toEqual({ kind: 'sqlite', database: '/var/lib/gw.db' });
    expect(resolveDatabaseTarget('file:/var/lib/gw.db', '/srv')).toEqual({ kind: 'sqlite', database: '/var/lib/gw.db' });
    expect(resolveDatabaseTarget('sqlite::memory:')).toEqual({ kind: 'sqlite', database: ':memory:' });
  });

  it('uses PostgreSQL for postgres:// URLs and never shows their password', () => {
    const target = resolveDatabaseTarget('postgres://qts:s3cret@db.internal:5433/gateway');
    expect(target).toEqual({ kind: 'postgres', url: 'postgres://qts:s3cret@db.internal:5433/gateway' });
    expect(describeDatabaseTarget(target)).toBe('postgres://db.internal:5433/gateway');
    expect(describeDatabaseTarget(resolveDatabaseTarget('postgresql://h/db'))).toBe('postgres://h/db');
    expect(describeDatabaseTarget({ kind: 'sqlite', database: '/x.db' })).toBe('sqlite:/x.db');
  });

  it('refuses anything else without echoing it', () => {
    expect(() => resolveDatabaseTarget('mysql://root:pw@h/db')).toThrow(/DATABASE_URL must be .*value not shown/);
  });
});
