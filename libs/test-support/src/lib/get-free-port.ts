import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on `host` (the OS picks it). It is released before this resolves, so
 * another process can take it before the caller binds it: prefer letting the server bind port 0 and reading the
 * port it reports (the simulator's READY line, `server.address()`, a gRPC server's bound port). Use this only
 * where the port must be known before anything binds it (a process that cannot report its port, a port that must
 * stay closed), and start such a process through {@link startOnFreePort}, which retries when the port was taken.
 */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`could not read the port picked on ${host}`))));
    });
  });
}

/** `count` distinct free ports (each as racy as {@link getFreePort}). */
export async function getFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    ports.add(await getFreePort(host));
  }
  return [...ports];
}

/** True for the error of a bind to a port someone else holds (Node, grpc-js and PostgreSQL word it this way). */
export function isAddressInUse(error: unknown): boolean {
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error);
  return /EADDRINUSE|address already in use/i.test(text);
}

export interface StartOnFreePortOptions {
  /** How many ports to try before giving up; default 5. */
  attempts?: number;
  host?: string;
  /** How many ports each attempt needs; default 1. */
  ports?: number;
}

/**
 * Starts something that must be given its ports up front: `start` gets fresh free ports and is called again with
 * new ones when it failed because a port was taken between the pick and the bind (see {@link isAddressInUse}).
 * Any other failure is thrown at once. `start` must clean up after its own failure.
 */
export async function startOnFreePort<T>(start: (ports: number[]) => Promise<T>, options: StartOnFreePortOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    const ports = await getFreePorts(options.ports ?? 1, options.host);
    try {
      return await start(ports);
    } catch (error) {
      if (attempt >= attempts || !isAddressInUse(error)) throw error;
    }
  }
}
