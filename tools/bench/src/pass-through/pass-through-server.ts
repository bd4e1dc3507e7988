import { credentials, Metadata, Server, ServerCredentials, status, type ServiceError } from '@grpc/grpc-js';
import { jtsV1, qtsGatewayV1 } from '@qts/grpc-contracts';

/**
 * The reference the gateway's gRPC API is measured against: a bare @grpc/grpc-js server that answers
 * BrokerGatewayService.GetQuote by forwarding it to a JTS server and copying the quote back. No
 * authentication, validation, rate limiting, metrics or framework: the cost of one extra network hop.
 *
 * Run as its own process: PROXY_PORT (0 picks one) and JTS_TARGET (host:port); prints
 * `PASS_THROUGH_PROXY_READY <port>` once it listens, stops on SIGTERM.
 */
const DEADLINE_MS = 5_000;

function main(): void {
  const target = process.env['JTS_TARGET'];
  if (target === undefined) throw new Error('JTS_TARGET is required');
  const jts = new jtsV1.MarketDataServiceClient(target, credentials.createInsecure());
  const server = new Server();
  const unimplemented = (_call: unknown, callback: (error: Partial<ServiceError>) => void): void =>
    callback({ code: status.UNIMPLEMENTED, details: 'the pass-through proxy serves GetQuote only' });
  const implementation: Partial<qtsGatewayV1.BrokerGatewayServiceServer> = {
    getQuote: (call, callback) => {
      jts.getQuote({ symbol: call.request.symbol }, new Metadata(), { deadline: Date.now() + DEADLINE_MS }, (error, quote) => {
        if (error !== null) callback(error);
        else callback(null, { quote: { ...quote } });
      });
    },
  };
  const handlers = Object.fromEntries(
    Object.keys(qtsGatewayV1.BrokerGatewayServiceService).map((name) => [
      name,
      implementation[name as keyof qtsGatewayV1.BrokerGatewayServiceServer] ?? unimplemented,
    ]),
  );
  server.addService(qtsGatewayV1.BrokerGatewayServiceService, handlers);
  server.bindAsync(`127.0.0.1:${process.env['PROXY_PORT'] ?? '0'}`, ServerCredentials.createInsecure(), (error, port) => {
    if (error !== null) {
      console.error(`pass-through proxy cannot listen: ${error.message}`);
      process.exit(1);
    }
    process.stdout.write(`PASS_THROUGH_PROXY_READY ${port}\n`);
  });
  process.once('SIGTERM', () => {
    jts.close();
    server.forceShutdown();
    process.exit(0);
  });
}

main();
