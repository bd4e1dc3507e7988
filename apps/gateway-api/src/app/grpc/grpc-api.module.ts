import { Module } from '@nestjs/common';
import { GATEWAY_PROTO_FILES, qtsGatewayV1 } from '@qts/grpc-contracts';
import { GrpcServingModule } from '@qts/service-infra';
import { AccountsModule } from '../accounts/accounts.module';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { OrdersModule } from '../orders/orders.module';
import { BrokerGatewayGrpcController } from './broker-gateway-grpc.controller';
import { GATEWAY_SERVICE_NAME, GrpcHealthPublisher } from './grpc-health-publisher';

/** How long shutdown lets gRPC calls in flight finish before cutting them. */
export const GRPC_SHUTDOWN_GRACE_MS = 3_000;

/** The gRPC API (qts.gateway.v1) on BIND_HOST:GATEWAY_GRPC_PORT, on the same services as the REST API. */
@Module({
  imports: [
    GrpcServingModule.forService({
      services: { [GATEWAY_SERVICE_NAME]: qtsGatewayV1.BrokerGatewayServiceService },
      protoFiles: GATEWAY_PROTO_FILES,
      port: (config) => config.gateway.grpcPort,
      // Broker readiness ('qts.gateway.v1.BrokerGatewayService', 'broker/<id>') is GrpcHealthPublisher's.
      shutdownGraceMs: () => GRPC_SHUTDOWN_GRACE_MS,
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
