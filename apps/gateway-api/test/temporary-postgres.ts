import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOnFreePort } from '@qts/test-support';

/** Where Debian's (or a source build's) PostgreSQL server binaries are. */
export function findPostgresBin(): string | undefined {
  for (const dir of ['/usr/local/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin']) {
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

export interface TemporaryPostgres {
  url: string;
  stop(): void;
}

/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 and a free port, in a temporary folder (trust auth, no
 * password). PostgreSQL refuses to run as root, so as root it runs as the `postgres` user. PostgreSQL cannot bind
 * port 0 and report it, so the port is picked first; when another process takes it before the server binds it,
 * the server starts again on another one.
 */
export async function startTemporaryPostgres(bin: string): Promise<TemporaryPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (command: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]] : [path.join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await startOnFreePort(async ([candidate]) => {
    const log = path.join(dir, `server-${candidate}.log`);
    try {
      run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', log, '-o', `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    }
    return candidate;
  });
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
