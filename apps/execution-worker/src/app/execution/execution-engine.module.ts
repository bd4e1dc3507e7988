import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { BrokerRegistry, OrderAdapter } from '@qts/broker-domain';
import { BROKER_ORDER_ADAPTERS } from '@qts/broker-transport';
import { PLATFORM_CONFIG, PlatformConfig } from '@qts/platform-config';
import { BROKER_FACTORY, BrokerFactory } from './broker-factory';
import { ConfiguredBrokerFactory } from './configured-broker-factory';
import { jtsAdapterResolver } from './jts-adapter-resolver';

export interface ExecutionEngineModuleOptions {
  /** Consecutive broker failures that trip a (broker, account) fail-safe; default 3. */
  maxConsecutiveFailures?: number;
  /**
   * Order adapters by broker id that replace those of the broker transport (tests). Without it: the REST
   * order adapter of a broker reached over REST, else the JtsOrderAdapter over the broker's gateway.
   */
  orderAdapters?: Readonly<Record<string, OrderAdapter>>;
  /**
   * Modules that export BrokerRegistry and BROKER_ORDER_ADAPTERS, when BrokerTransportModule is not registered
   * globally (BrokerTransportModule.forRoot({ ..., isGlobal: true }) makes this unnecessary).
   */
  imports?: ModuleMetadata['imports'];
}

/** DI token of the module's options. */
export const EXECUTION_ENGINE_OPTIONS = Symbol('EXECUTION_ENGINE_OPTIONS');

/**
 * Provides BROKER_FACTORY: a ConfiguredBrokerFactory over PLATFORM_CONFIG (global, PlatformConfigModule) and the
 * brokers of BrokerTransportModule: a broker reached over REST places its orders through its REST order adapter
 * (the same connection, limiter and tokens as its gateway), every other one through its gateway in the registry.
 */
@Module({})
export class ExecutionEngineModule {
  static forRoot(options: ExecutionEngineModuleOptions = {}): DynamicModule {
    return {
      module: ExecutionEngineModule,
      imports: options.imports ?? [],
      providers: [
        { provide: EXECUTION_ENGINE_OPTIONS, useValue: options },
        {
          provide: BROKER_FACTORY,
          inject: [PLATFORM_CONFIG, BrokerRegistry, BROKER_ORDER_ADAPTERS, EXECUTION_ENGINE_OPTIONS],
          useFactory: (
            config: PlatformConfig,
            registry: BrokerRegistry,
            restAdapters: ReadonlyMap<string, OrderAdapter>,
            engineOptions: ExecutionEngineModuleOptions,
          ): BrokerFactory => {
            const viaGateway = jtsAdapterResolver(registry);
            return new ConfiguredBrokerFactory({
              brokers: config.brokers,
              liveTradingEnabled: config.liveTradingEnabled,
              maxConsecutiveFailures: engineOptions.maxConsecutiveFailures,
              resolveAdapter: (broker) =>
                engineOptions.orderAdapters?.[broker.id] ?? restAdapters.get(broker.id) ?? viaGateway(broker),
            });
          },
        },
      ],
      exports: [BROKER_FACTORY],
    };
  }
}
