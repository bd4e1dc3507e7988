import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startOnFreePort } from './get-free-port';
import { killOnExit, removeOnExit } from './process-exit-cleanup';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/<database> of the database created at start. */
  readonly url: string;
  /** Creates another empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (clients disconnected), bounded; resolves once the server is gone. */
  stop(): Promise<void>;
}

const POSTGRES_PACKAGE_ROOT = '/usr/lib/postgresql';

/**
 * A PostgreSQL server program (initdb, postgres): on PATH, else from the newest version folder of the Debian
 * packages (/usr/lib/postgresql/<version>/bin), whatever versions are installed. Undefined when there is none.
 */
export function findPostgresBinary(name: 'initdb' | 'postgres'): string | undefined {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const versions = existsSync(POSTGRES_PACKAGE_ROOT) ? readdirSync(POSTGRES_PACKAGE_ROOT) : [];
  for (const version of versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))) {
    const candidate = join(POSTGRES_PACKAGE_ROOT, version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function requireBinary(name: 'initdb' | 'postgres'): string {
  const binary = findPostgresBinary(name);
  if (binary === undefined) {
    throw new Error(`PostgreSQL's ${name} was not found: install the Debian package postgresql (.ci/run does)`);
  }
  return binary;
}

/** PostgreSQL refuses to run as root: then it runs as the 'postgres' system user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface StartPostgresOptions {
  /**
   * Commits synced to disk as in production (fsync and full page writes on), for measurements; default off: test
   * data only, and much faster.
   */
  durable?: boolean;
}

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 (a free port, trust auth, fsync off unless `durable`) with one empty
 * database. Real PostgreSQL from the Debian packages, no Docker. Killed, and its folder removed, when the test
 * process exits, even after a failed test. PostgreSQL cannot bind port 0 and report it, so the port is picked
 * first; when another process takes it before the server binds it, the server starts again on another one.
 */
export async function startPostgres(database = 'qts', options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const initdb = requireBinary('initdb');
  const postgres = requireBinary('postgres');
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'qts-pg-'));
  removeOnExit(dir);
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user.uid !== undefined && user.gid !== undefined) chownSync(data, user.uid, user.gid);

  const init = spawnSync(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], {
    ...user,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);

  const { server, port } = await startOnFreePort(async ([candidate]) => ({
    server: await spawnPostgres(postgres, data, candidate, user, options.durable === true),
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
async function spawnPostgres(
  postgres: string,
  data: string,
  port: number,
  user: { uid?: number; gid?: number },
  durable: boolean,
): Promise<ChildProcess> {
  const server: ChildProcess = spawn(
    postgres,
    ['-D', data, '-k', data, '-h', '127.0.0.1', '-p', String(port), ...(durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  killOnExit(server);
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
