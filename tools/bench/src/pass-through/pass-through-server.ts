import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { credentials, Metadata, Server, ServerCredentials, status, type ServiceError } from '@grpc/grpc-js';
import { jtsV1, qtsGatewayV1 } from '@qts/grpc-contracts';

/**
 * The floor the gateway is measured against: one bare Node hop. A @grpc/grpc-js server answering
 * BrokerGatewayService.GetQuote and a node:http server answering `GET /api/v1/brokers/:id/quotes/:symbol`, both by
 * forwarding to a JTS server and copying the quote back (JSON over HTTP). No authentication, validation, rate
 * limiting, metrics, logging or framework.
 *
 * Run as its own process: JTS_TARGET (host:port); prints `PASS_THROUGH_READY <grpc port> <http port>` once both
 * listen (ports picked by the system), stops on SIGTERM.
 */
const DEADLINE_MS = 5_000;
const QUOTE_PATH = /^\/api\/v1\/brokers\/[^/]+\/quotes\/([^/?]+)$/;

function main(): void {
  const target = process.env['JTS_TARGET'];
  if (target === undefined) throw new Error('JTS_TARGET is required');
  const jts = new jtsV1.MarketDataServiceClient(target, credentials.createInsecure());
  const getQuote = (symbol: string, done: (error: ServiceError | null, quote?: jtsV1.QuoteData) => void): void => {
    jts.getQuote({ symbol }, new Metadata(), { deadline: Date.now() + DEADLINE_MS }, (error, quote) => done(error, quote));
  };

  const grpc = new Server();
  const unimplemented = (_call: unknown, callback: (error: Partial<ServiceError>) => void): void =>
    callback({ code: status.UNIMPLEMENTED, details: 'the pass-through serves GetQuote only' });
  const implementation: Partial<qtsGatewayV1.BrokerGatewayServiceServer> = {
    getQuote: (call, callback) =>
      getQuote(call.request.symbol, (error, quote) => (error !== null ? callback(error) : callback(null, { quote: { ...(quote as jtsV1.QuoteData) } }))),
  };
  grpc.addService(
    qtsGatewayV1.BrokerGatewayServiceService,
    Object.fromEntries(
      Object.keys(qtsGatewayV1.BrokerGatewayServiceService).map((name) => [
        name,
        implementation[name as keyof qtsGatewayV1.BrokerGatewayServiceServer] ?? unimplemented,
      ]),
    ),
  );

  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const symbol = QUOTE_PATH.exec(request.url ?? '')?.[1];
    if (request.method !== 'GET' || symbol === undefined) {
      response.writeHead(404).end();
      return;
    }
    getQuote(symbol, (error, quote) => {
      const body = JSON.stringify(error !== null ? { message: error.details } : quote);
      response
        .writeHead(error !== null ? 502 : 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
        .end(body);
    });
  });
  http.keepAliveTimeout = 75_000;

  grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, grpcPort) => {
    if (error !== null) {
      console.error(`pass-through cannot listen: ${error.message}`);
      process.exit(1);
    }
    http.listen(0, '127.0.0.1', () => {
      const address = http.address();
      const httpPort = typeof address === 'object' && address !== null ? address.port : 0;
      process.stdout.write(`PASS_THROUGH_READY ${grpcPort} ${httpPort}\n`);
    });
  });
  process.once('SIGTERM', () => {
    jts.close();
    grpc.forceShutdown();
    http.close();
    http.closeAllConnections();
    process.exit(0);
  });
}

main();
