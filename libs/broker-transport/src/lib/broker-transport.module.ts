import {
  ConfigurableModuleBuilder,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Provider,
} from '@nestjs/common';
import { BrokerRegistry, isRestBrokerConfig } from '@qts/broker-domain';
import { BrokerConnectionManager, logConnectionStatusChange, seededRandom } from '@qts/broker-grpc';
import { BrokerRateLimiters } from './broker-rate-limiters';
import { BrokerStatusFeed } from './broker-status-feed';
import { BrokerTransportModuleOptions } from './broker-transport-module-options';
import { BROKER_LIMITERS, BROKER_ORDER_ADAPTERS, BROKER_TRANSPORT_OPTIONS } from './broker-transport.tokens';
import { createBrokerLimiters } from './create-broker-limiters';
import { createBrokerRegistry } from './create-broker-registry';
import { RestBrokerConnections } from './rest-broker-connections';

const logger = new Logger('BrokerTransport');
const connectionLogger = new Logger('BrokerConnections');

export const {
  ConfigurableModuleClass: BrokerTransportConfigurableModule,
  OPTIONS_TYPE: BROKER_TRANSPORT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BROKER_TRANSPORT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BrokerTransportModuleOptions>({ optionsInjectionToken: BROKER_TRANSPORT_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

const providers: Provider[] = [
  {
    provide: BrokerConnectionManager,
    inject: [BROKER_TRANSPORT_OPTIONS],
    useFactory: (options: BrokerTransportModuleOptions) =>
      new BrokerConnectionManager({
        healthIntervalMs: options.healthIntervalMs,
        ...(options.seed === undefined ? {} : { random: seededRandom(options.seed) }),
      }),
  },
  {
    provide: BROKER_LIMITERS,
    inject: [BROKER_TRANSPORT_OPTIONS],
    useFactory: (options: BrokerTransportModuleOptions) => {
      const limiters = createBrokerLimiters(options, {
        log: (level, message) => (level === 'warn' ? logger.warn(message) : logger.log(message)),
      });
      if (limiters.mode === 'split') logger.warn(limiters.backend.description);
      else logger.log(limiters.backend.description);
      return limiters;
    },
  },
  {
    provide: RestBrokerConnections,
    inject: [BROKER_TRANSPORT_OPTIONS, BROKER_LIMITERS],
    useFactory: (options: BrokerTransportModuleOptions, limiters: BrokerRateLimiters) => {
      const connections = RestBrokerConnections.create(options, limiters);
      if (connections.tokenStoreDescription !== undefined) {
        logger.log(`REST access tokens: ${connections.tokenStoreDescription}`);
      }
      return connections;
    },
  },
  {
    provide: BrokerRegistry,
    inject: [BROKER_TRANSPORT_OPTIONS, BrokerConnectionManager, BROKER_LIMITERS, RestBrokerConnections],
    useFactory: createBrokerRegistry,
  },
  {
    provide: BROKER_ORDER_ADAPTERS,
    inject: [RestBrokerConnections],
    useFactory: (connections: RestBrokerConnections) => connections.orderAdapters(),
  },
  {
    provide: BrokerStatusFeed,
    inject: [BrokerConnectionManager, RestBrokerConnections],
    useFactory: (manager: BrokerConnectionManager, connections: RestBrokerConnections) => new BrokerStatusFeed(manager, connections),
  },
];

/**
 * Every configured broker, each through its transport: the JTS gRPC server (BrokerConnectionManager and a
 * GrpcBrokerGateway), the broker's own REST API (KIS, Kiwoom: RestBrokerConnections), or in process (`mock: true`).
 * Provides the BrokerRegistry (one gateway per broker), BROKER_LIMITERS (one limiter per broker, of the backend
 * `rateLimit` selects: the same budget whatever the transport), BROKER_ORDER_ADAPTERS (the REST brokers' order
 * adapters), BrokerStatusFeed (status changes of every broker) and BROKER_TRANSPORT_OPTIONS. JTS brokers connect
 * and REST health checks start when the module initialises; everything is closed on application shutdown.
 *
 *   BrokerTransportModule.forRoot({ brokers })
 *   BrokerTransportModule.forRootAsync({ inject: [PLATFORM_CONFIG], useFactory: (c: PlatformConfig) => ({ brokers: c.brokers }) })
 */
@Module({
  providers,
  exports: [
    BrokerRegistry,
    BrokerConnectionManager,
    BrokerStatusFeed,
    RestBrokerConnections,
    BROKER_LIMITERS,
    BROKER_ORDER_ADAPTERS,
    BROKER_TRANSPORT_OPTIONS,
  ],
})
export class BrokerTransportModule extends BrokerTransportConfigurableModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(BROKER_TRANSPORT_OPTIONS) private readonly options: BrokerTransportModuleOptions,
    private readonly manager: BrokerConnectionManager,
    private readonly rest: RestBrokerConnections,
    @Inject(BROKER_LIMITERS) private readonly limiters: BrokerRateLimiters,
    private readonly statusFeed: BrokerStatusFeed,
  ) {
    super();
  }

  private stopLoggingStatus: (() => void) | undefined;

  onModuleInit(): void {
    // One line per status change of any broker, whatever its transport, not one per refused call.
    this.stopLoggingStatus = this.statusFeed.onStatusChange((event) => logConnectionStatusChange(connectionLogger, event));
    for (const broker of this.options.brokers) {
      if (!broker.mock && !isRestBrokerConfig(broker)) this.manager.connect(broker);
    }
    this.rest.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopLoggingStatus?.();
    this.manager.disconnectAll();
    await this.rest.close();
    await this.limiters.close();
  }
}
