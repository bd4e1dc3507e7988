import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import Redis from 'ioredis';
import { startRedisServer, type RedisServerProcess } from './redis-server';

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startRedisServer (Debian redis-server, a real process)', () => {
  let server: RedisServerProcess | undefined;
  let client: Redis | undefined;

  afterEach(async () => {
    client?.disconnect();
    client = undefined;
    await server?.stop();
    server = undefined;
  });

  it('runs on a free loopback port without persistence, survives a pause, and restarts empty on the same port', async () => {
    server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    client = new Redis(server.url, { commandTimeout: 300, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    await client.set('key', 'value');
    const config = (await client.config('GET', 'save')) as string[];
    expect(config).toEqual(['save', '']);

    server.pause();
    await expect(client.get('key')).rejects.toThrow('Command timed out');
    server.resume();
    await expect(client.get('key')).resolves.toBe('value');

    const firstPid = server.pid;
    await server.restart();
    expect(server.pid).not.toBe(firstPid);
    const fresh = new Redis(server.url, { maxRetriesPerRequest: 0 });
    await expect(fresh.get('key')).resolves.toBeNull();
    fresh.disconnect();
  });

  it('stops the process and removes its directory', async () => {
    server = await startRedisServer({ args: ['--maxmemory', '16mb'] });
    const { port } = server;
    client = new Redis(server.url, { maxRetriesPerRequest: 0 });
    const dir = ((await client.config('GET', 'dir')) as string[])[1];
    expect(((await client.config('GET', 'maxmemory')) as string[])[1]).toBe(String(16 * 1024 * 1024));
    client.disconnect();
    client = undefined;
    expect(existsSync(dir)).toBe(true);
    await server.stop();
    expect(existsSync(dir)).toBe(false);
    await expect(listens(port)).resolves.toBe(false);
    await server.stop();
  });

  it('fails with the server output when it cannot start (the port is taken)', async () => {
    server = await startRedisServer();
    await expect(startRedisServer({ port: server.port, readyTimeoutMs: 2_000 })).rejects.toThrow(
      /exited|did not answer/,
    );
  });
});
