import { Agent, request } from 'node:http';

/**
 * GET requests over keep-alive connections (one per call in flight), as a backend service's HTTP client does. A
 * call resolves with the body once the whole answer arrived; any status but 200 rejects.
 */
export class KeepAliveHttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
    maxSockets = 64,
  ) {
    // The socket's own idle timeout stays under the server's keep-alive timeout, as well-behaved clients do.
    this.agent = new Agent({ keepAlive: true, maxSockets, timeout: 30_000 });
  }

  get(path: string): Promise<Buffer> {
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const call = request(
        { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, agent: this.agent, headers: this.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            if (response.statusCode === 200) resolve(body);
            else reject(new Error(`GET ${url.pathname}: ${response.statusCode} ${body.toString('utf8').slice(0, 200)}`));
          });
        },
      );
      call.on('error', reject);
      call.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
