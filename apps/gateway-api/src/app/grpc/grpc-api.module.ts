import { Module } from '@nestjs/common';
import { DEFAULT_ACQUIRE_TIMEOUT_MS } from '@qts/broker-grpc';
import { GATEWAY_PROTO_FILES, qtsGatewayV1 } from '@qts/grpc-contracts';
import type { PlatformConfig } from '@qts/platform-config';
import { GrpcServingModule } from '@qts/service-infra';
import { AccountsModule } from '../accounts/accounts.module';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { OrdersModule } from '../orders/orders.module';
import { BrokerGatewayGrpcController } from './broker-gateway-grpc.controller';
import { GATEWAY_SERVICE_NAME, GrpcHealthPublisher } from './grpc-health-publisher';

/** Beyond the longest broker call: time to write the answer and close the connection. */
const DRAIN_MARGIN_MS = 1_000;

/**
 * How long the gateway's shutdown lets calls in flight (gRPC and HTTP) finish before cutting them: the longest a
 * call can take, a rate-limit permit wait (DEFAULT_ACQUIRE_TIMEOUT_MS) and the broker deadline, plus a margin, so
 * that an order taken before SIGTERM is answered, never cut (16 s with the defaults).
 */
export function gatewayShutdownGraceMs(config: PlatformConfig): number {
  return DEFAULT_ACQUIRE_TIMEOUT_MS + config.brokerDeadlineMs + DRAIN_MARGIN_MS;
}

/** The gRPC API (qts.gateway.v1) on BIND_HOST:GATEWAY_GRPC_PORT, on the same services as the REST API. */
@Module({
  imports: [
    GrpcServingModule.forService({
      services: { [GATEWAY_SERVICE_NAME]: qtsGatewayV1.BrokerGatewayServiceService },
      protoFiles: GATEWAY_PROTO_FILES,
      port: (config) => config.gateway.grpcPort,
      // Broker readiness ('qts.gateway.v1.BrokerGatewayService', 'broker/<id>') is GrpcHealthPublisher's.
      shutdownGraceMs: gatewayShutdownGraceMs,
    }),
    BrokerAccessModule,
    MarketDataModule,
    AccountsModule,
    OrdersModule,
  ],
  controllers: [BrokerGatewayGrpcController],
  providers: [GrpcHealthPublisher],
})
export class GrpcApiModule {}
