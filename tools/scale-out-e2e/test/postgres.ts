import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getFreePort, waitFor } from '@qts/test-support';
import { Client } from 'pg';
import { scratchDir } from './app-process';

export interface PostgresServer {
  /** Creates an empty database; returns its postgres:// URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** initdb/postgres from PATH, else from the Debian package folders (/usr/lib/postgresql/<version>/bin). */
function binary(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  for (const version of existsSync(root) ? readdirSync(root).sort().reverse() : []) {
    const candidate = join(root, version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`PostgreSQL's ${name} was not found (install the postgresql Debian package; .ci/run does)`);
}

/** PostgreSQL refuses to run as root: then it runs as the 'postgres' system user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A throw-away PostgreSQL cluster on 127.0.0.1 and a free port (trust auth, fsync off: test data only). */
export async function startPostgres(): Promise<PostgresServer> {
  const user = runAs();
  const dir = scratchDir('scale-out-pg-');
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user.uid !== undefined && user.gid !== undefined) chownSync(data, user.uid, user.gid);
  const init = spawnSync(
    binary('initdb'),
    ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'],
    { ...user, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await getFreePort();
  const server: ChildProcess = spawn(
    binary('postgres'),
    [
      '-D',
      data,
      '-k',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  process.once('exit', () => server.kill('SIGKILL'));
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8_192)));
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(
    async () => {
      const client = new Client({ connectionString: admin });
      await client.connect();
      await client.end();
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 200, description: `PostgreSQL on port ${port}` },
  ).catch((error) => {
    server.kill('SIGKILL');
    throw new Error(`${String(error)}\n${log}`);
  });
  return {
    async createDatabase(name: string): Promise<string> {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
