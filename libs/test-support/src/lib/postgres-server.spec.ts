import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { findPostgresBinary, startPostgres, type PostgresServer } from './postgres-server';

describe('startPostgres (the Debian PostgreSQL, any installed version)', () => {
  let server: PostgresServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('finds the server programs', () => {
    for (const name of ['initdb', 'postgres'] as const) {
      const binary = findPostgresBinary(name);
      expect(binary).toMatch(new RegExp(`/${name}$`));
      expect(existsSync(binary as string)).toBe(true);
    }
  });

  it('starts a throw-away cluster on 127.0.0.1 with the database asked for, creates more, and stops', async () => {
    server = await startPostgres('kit_test');
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/kit_test$/);
    const other = await server.createDatabase('second_db');
    for (const url of [server.url, other]) {
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      expect(rows[0].name).toBe(url.split('/').pop());
    }
    await expect(server.createDatabase('not; a name')).rejects.toThrow('not a plain database name');

    const url = server.url;
    await server.stop();
    server = undefined;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow();
  });

  it.each([
    [{}, 'off'],
    [{ durable: true }, 'on'],
  ])('syncs commits to disk only when asked to be durable (%j: fsync %s)', async (options, fsync) => {
    server = await startPostgres('sync_test', options);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query('SHOW fsync');
    await client.end();
    expect(rows[0].fsync).toBe(fsync);
  });
});
