import { Module, type DynamicModule } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsController } from './metrics.controller';
import { METRICS_REGISTRY } from './metrics-registry.token';

export interface MetricsModuleOptions {
  /** Prefix of the process metrics (`process_cpu_user_seconds_total` ...); default none. */
  defaultMetricsPrefix?: string;
}

/**
 * The service's Prometheus registry (process metrics included) and GET /metrics. A registry of its own, not
 * prom-client's global one, so that two services in one process (as in tests) never collide. Global: every module
 * registers its metrics in it by injecting METRICS_REGISTRY.
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions = {}): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [
        {
          provide: METRICS_REGISTRY,
          useFactory: () => {
            const registry = new Registry();
            collectDefaultMetrics({
              register: registry,
              ...(options.defaultMetricsPrefix ? { prefix: options.defaultMetricsPrefix } : {}),
            });
            return registry;
          },
        },
      ],
      exports: [METRICS_REGISTRY],
    };
  }
}
