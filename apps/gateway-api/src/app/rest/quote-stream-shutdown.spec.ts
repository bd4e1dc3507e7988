import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_KEY, createTestGateway } from '../../../test/gateway-test-app';

describe('REST quote streams (SSE) on shutdown', () => {
  it('end when the gateway shuts down, closing the broker stream, so that the drain is not held open by them', async () => {
    const gateway = await createTestGateway();
    const server = gateway.app.getHttpServer() as http.Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const stream = await new Promise<{ ended: Promise<string>; first: string }>((resolve, reject) => {
      const req = http.get(`${base}/api/v1/brokers/kis/quotes/005930/stream`, { headers: { 'X-API-Key': ADMIN_KEY } }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        const ended = new Promise<string>((done) => {
          res.on('end', () => done('ended'));
          res.on('error', () => done('broken'));
        });
        res.on('data', (chunk: string) => {
          if (text === '') resolve({ ended, first: chunk });
          text += chunk;
        });
      });
      req.on('error', reject);
    });
    expect(stream.first).toMatch(/^event: quote\n/);
    expect(gateway.kis.openQuoteStreams).toBe(1);

    await gateway.close();
    // Ended by the server (a complete response), not cut when the drain ran out.
    expect(await stream.ended).toBe('ended');
    expect(gateway.kis.openQuoteStreams).toBe(0);
  });
});
