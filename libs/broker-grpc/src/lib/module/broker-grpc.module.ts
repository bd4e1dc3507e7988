import {
  ConfigurableModuleBuilder,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Provider,
} from '@nestjs/common';
import { BrokerRegistry } from '@qts/broker-domain';
import { BrokerConnectionManager } from '../connection/broker-connection-manager';
import { logConnectionStatusChange } from '../connection/connection-status-log';
import { seededRandom } from '../timing/seeded-random';
import { BrokerGrpcModuleOptions } from './broker-grpc-module-options';
import { BROKER_GRPC_OPTIONS, BROKER_LIMITERS } from './broker-grpc.tokens';
import { createBrokerLimiters } from './create-broker-limiters';
import { createBrokerRegistry } from './create-broker-registry';
import { BrokerRateLimiters } from './broker-rate-limiters';

const logger = new Logger('RateLimits');
const connectionLogger = new Logger('BrokerConnections');

export const {
  ConfigurableModuleClass: BrokerGrpcConfigurableModule,
  OPTIONS_TYPE: BROKER_GRPC_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BROKER_GRPC_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BrokerGrpcModuleOptions>({ optionsInjectionToken: BROKER_GRPC_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

const providers: Provider[] = [
  {
    provide: BrokerConnectionManager,
    inject: [BROKER_GRPC_OPTIONS],
    useFactory: (options: BrokerGrpcModuleOptions) =>
      new BrokerConnectionManager({
        healthIntervalMs: options.healthIntervalMs,
        ...(options.seed === undefined ? {} : { random: seededRandom(options.seed) }),
      }),
  },
  {
    provide: BROKER_LIMITERS,
    inject: [BROKER_GRPC_OPTIONS],
    useFactory: (options: BrokerGrpcModuleOptions) => {
      const limiters = createBrokerLimiters(options, {
        log: (level, message) => (level === 'warn' ? logger.warn(message) : logger.log(message)),
      });
      if (limiters.mode === 'split') logger.warn(limiters.backend.description);
      else logger.log(limiters.backend.description);
      return limiters;
    },
  },
  {
    provide: BrokerRegistry,
    inject: [BROKER_GRPC_OPTIONS, BrokerConnectionManager, BROKER_LIMITERS],
    useFactory: createBrokerRegistry,
  },
];

/**
 * Nest wiring of the JTS client: BrokerRegistry (one gateway per configured broker), the
 * BrokerConnectionManager, BROKER_LIMITERS (the limiters of the backend `rateLimit` selects) and
 * BROKER_GRPC_OPTIONS. gRPC brokers are connected when the module initialises and disconnected
 * (limiters and their shared ledger closed) on application shutdown. A static split logs a warning at
 * start-up: the processes' shares must add up to at most the broker's limit.
 *
 *   BrokerGrpcModule.forRoot({ brokers })
 *   BrokerGrpcModule.forRootAsync({ inject: [AppConfig], useFactory: (c: AppConfig) => ({ brokers: c.brokers }) })
 */
@Module({
  providers,
  exports: [BrokerRegistry, BrokerConnectionManager, BROKER_LIMITERS, BROKER_GRPC_OPTIONS],
})
export class BrokerGrpcModule extends BrokerGrpcConfigurableModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(BROKER_GRPC_OPTIONS) private readonly options: BrokerGrpcModuleOptions,
    private readonly manager: BrokerConnectionManager,
    @Inject(BROKER_LIMITERS) private readonly limiters: BrokerRateLimiters,
  ) {
    super();
  }

  private stopLoggingStatus: (() => void) | undefined;

  onModuleInit(): void {
    this.stopLoggingStatus = this.manager.onStatusChange((event) => logConnectionStatusChange(connectionLogger, event));
    for (const broker of this.options.brokers) {
      if (!broker.mock) this.manager.connect(broker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopLoggingStatus?.();
    this.manager.disconnectAll();
    await this.limiters.close();
  }
}
