import http from 'node:http';
import { listeningUrl, openConsoleStream } from './console-stream-reader';

describe('openConsoleStream', () => {
  it('reads events as they come, sends the headers, waits for the one asked for, and closes', async () => {
    const seenHeaders: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((request, response) => {
      seenHeaders.push(request.headers);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: snapshot\ndata: {"n":1}\n\n: comment\n\n');
      setTimeout(() => response.write('data: plain text\n\nevent: snapshot\ndata: {"n":2}\n\n'), 10);
    });
    const url = await listeningUrl(server);
    expect(await listeningUrl(server)).toBe(url);
    try {
      const stream = await openConsoleStream(url, '/s', { 'x-api-key': 'k' });
      expect(stream.status).toBe(200);
      expect(await stream.next()).toEqual({ event: 'snapshot', data: { n: 1 } });
      expect(await stream.next((event) => (event.data as { n?: number }).n === 2)).toEqual({ event: 'snapshot', data: { n: 2 } });
      expect(stream.events).toContainEqual({ event: 'message', data: 'plain text' });
      expect(seenHeaders[0]['x-api-key']).toBe('k');
      await expect(stream.next(() => true, 20)).rejects.toThrow(/no matching event within 20 ms/);
      stream.close();
      await stream.ended;
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
