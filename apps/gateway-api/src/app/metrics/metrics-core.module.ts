import { Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics';

/** The metric registry alone, so that broker access can record calls without depending on the HTTP side. */
@Module({ providers: [GatewayMetrics], exports: [GatewayMetrics] })
export class MetricsCoreModule {}
