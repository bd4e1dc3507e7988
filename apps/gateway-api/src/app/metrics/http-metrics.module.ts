import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsCoreModule } from './metrics-core.module';

/** Counts and times every HTTP request by route template. */
@Module({
  imports: [MetricsCoreModule],
  providers: [HttpMetricsMiddleware],
})
export class HttpMetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
