import { createServer } from 'node:net';
import { getFreePort, getFreePorts } from './get-free-port';

describe('getFreePort', () => {
  it('returns a port that can be bound right away', async () => {
    const port = await getFreePort();
    const server = createServer();

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
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
