import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { OrdersModule } from '../orders/orders.module';
import { SecurityModule } from '../security/security.module';
import { BrokerGatewayGrpcService } from './broker-gateway-grpc.service';
import { GatewayGrpcServer } from './gateway-grpc-server';
import { GrpcHealthPublisher } from './grpc-health-publisher';

/** The gRPC API (qts.gateway.v1), on the same services as the REST API. */
@Module({
  imports: [SecurityModule, BrokerAccessModule, MarketDataModule, AccountsModule, OrdersModule],
  providers: [BrokerGatewayGrpcService, GrpcHealthPublisher, GatewayGrpcServer],
  exports: [GatewayGrpcServer],
})
export class GrpcApiModule {}
