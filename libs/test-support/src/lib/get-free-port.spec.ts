import { createServer, type Server } from 'node:net';
import { getFreePort, getFreePorts, isAddressInUse, startOnFreePort } from './get-free-port';

function listen(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('getFreePort', () => {
  it('returns a port that can be bound right away', async () => {
    const port = await getFreePort();
    const server = await listen(port);

    await close(server);
    expect(port).toBeGreaterThan(0);
  });

  it('returns distinct ports', async () => {
    const ports = await getFreePorts(4);

    expect(new Set(ports).size).toBe(4);
  });

  it('rejects for an address it cannot bind', async () => {
    await expect(getFreePort('192.0.2.1')).rejects.toThrow();
  });
});

describe('isAddressInUse', () => {
  it('recognises the bind failures of Node, grpc-js and PostgreSQL, and nothing else', async () => {
    const taken = await listen(0);
    const port = (taken.address() as { port: number }).port;
    const nodeError = await listen(port).then(
      () => undefined,
      (error: unknown) => error,
    );
    await close(taken);

    expect(isAddressInUse(nodeError)).toBe(true);
    expect(isAddressInUse(new Error('No address added out of total 1 resolved errors: [listen EADDRINUSE: address already in use 127.0.0.1:1]'))).toBe(true);
    expect(isAddressInUse('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use')).toBe(true);
    expect(isAddressInUse(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(false);
    expect(isAddressInUse(undefined)).toBe(false);
  });
});

describe('startOnFreePort', () => {
  it('starts on fresh ports, and again on new ones when a port was taken before the bind', async () => {
    const seen: number[][] = [];
    const squatters: Server[] = [];

    const server = await startOnFreePort(
      async (ports) => {
        seen.push(ports);
        if (seen.length < 3) squatters.push(await listen(ports[1])); // someone takes the second port first
        return listen(ports[1]);
      },
      { ports: 2 },
    );
    try {
      expect(seen).toHaveLength(3);
      expect(seen.every((ports) => ports.length === 2 && ports[0] !== ports[1])).toBe(true);
      expect(new Set(seen.map((ports) => ports[1])).size).toBe(3);
      expect((server.address() as { port: number }).port).toBe(seen[2][1]);
    } finally {
      await Promise.all([server, ...squatters].map(close));
    }
  });

  it('gives up after the attempts given, with the last bind error', async () => {
    let calls = 0;
    const failure = startOnFreePort(
      async () => {
        calls += 1;
        throw Object.assign(new Error('listen EADDRINUSE: address already in use'), { code: 'EADDRINUSE' });
      },
      { attempts: 3 },
    );

    await expect(failure).rejects.toThrow('EADDRINUSE');
    expect(calls).toBe(3);
  });

  it('throws any other failure at once', async () => {
    let calls = 0;
    const failure = startOnFreePort(async () => {
      calls += 1;
      throw new Error('initdb failed');
    });

    await expect(failure).rejects.toThrow('initdb failed');
    expect(calls).toBe(1);
  });
});
