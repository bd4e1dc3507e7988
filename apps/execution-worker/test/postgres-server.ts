import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startOnFreePort } from '@qts/test-support';
import { Client } from 'pg';
import { scratchDir } from './worker-process';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  readonly url: string;
  /** Creates another empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** initdb/postgres from PATH, else from the Debian package folders (/usr/lib/postgresql/<version>/bin). */
function binary(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort().reverse() : [];
  for (const version of versions) {
    const candidate = join(root, version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`PostgreSQL's ${name} was not found (install the postgresql Debian package)`);
}

/** PostgreSQL refuses to run as root: then it runs as the 'postgres' system user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 (a free port, trust auth, fsync off: test data only) with one empty
 * database. Real PostgreSQL from the Debian packages, no Docker. Killed when the test process exits. PostgreSQL
 * cannot bind port 0 and report it, so the port is picked first; when another process takes it before the server
 * binds it, the server starts again on another one.
 */
export async function startPostgres(database = 'worker'): Promise<PostgresServer> {
  const user = runAs();
  const dir = scratchDir('worker-pg-');
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user.uid !== undefined && user.gid !== undefined) chownSync(data, user.uid, user.gid);

  const init = spawnSync(binary('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], {
    ...user,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);

  const { server, port } = await startOnFreePort(async ([candidate]) => ({
    server: await spawnPostgres(data, candidate, user),
    port: candidate,
  }));
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const createDatabase = async (name: string): Promise<string> => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    const client = new Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };

  return {
    url: await createDatabase(database),
    createDatabase,
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      // SIGINT: PostgreSQL's fast shutdown (disconnects clients instead of waiting for them).
      server.kill('SIGINT');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the server and resolves once it accepts connections; rejects with its log as soon as it exits. */
async function spawnPostgres(data: string, port: number, user: { uid?: number; gid?: number }): Promise<ChildProcess> {
  const server: ChildProcess = spawn(
    binary('postgres'),
    ['-D', data, '-k', data, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  process.once('exit', () => server.kill('SIGKILL'));
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8_192)));
  let exited: string | undefined;
  server.once('close', (code, signal) => (exited = `PostgreSQL exited (${signal ?? `code ${code}`}) before it accepted connections`));

  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (exited === undefined && Date.now() < deadline) {
    const client = new Client({ connectionString: admin });
    try {
      await client.connect();
      await client.end();
      return server;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill('SIGKILL');
  throw new Error(`${exited ?? `PostgreSQL on port ${port} did not accept connections within 30 s (${String(last)})`}\n${log}`);
}
