import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AccountDirectory } from '@qts/broker-accounts';
import { BrokerRegistry, OrderAdapter } from '@qts/broker-domain';
import { PLATFORM_CONFIG, PlatformConfig } from '@qts/platform-config';
import { BROKER_FACTORY, BrokerFactory } from './broker-factory';
import { ConfiguredBrokerFactory } from './configured-broker-factory';
import { jtsAdapterResolver } from './jts-adapter-resolver';

export interface ExecutionEngineModuleOptions {
  /** Consecutive broker failures that trip a (broker, account) fail-safe; default 3. */
  maxConsecutiveFailures?: number;
  /**
   * Order adapters by broker id that replace the JTS route for those brokers (a direct KIS or Kiwoom
   * REST adapter from getBroker). Brokers not listed go through the JTS server.
   */
  orderAdapters?: Readonly<Record<string, OrderAdapter>>;
  /**
   * Modules that export BrokerRegistry, when BrokerGrpcModule is not registered globally
   * (BrokerGrpcModule.forRoot({ ..., isGlobal: true }) makes this unnecessary).
   */
  imports?: ModuleMetadata['imports'];
}

/** DI token of the module's options. */
export const EXECUTION_ENGINE_OPTIONS = Symbol('EXECUTION_ENGINE_OPTIONS');

/**
 * Provides BROKER_FACTORY: a ConfiguredBrokerFactory over PLATFORM_CONFIG (global, PlatformConfigModule)
 * and the BrokerRegistry of BrokerGrpcModule (every configured broker through its JTS gateway).
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
          inject: [PLATFORM_CONFIG, BrokerRegistry, EXECUTION_ENGINE_OPTIONS, { token: AccountDirectory, optional: true }],
          useFactory: (
            config: PlatformConfig,
            registry: BrokerRegistry,
            engineOptions: ExecutionEngineModuleOptions,
            accounts: AccountDirectory | undefined,
          ): BrokerFactory => {
            const viaJts = jtsAdapterResolver(registry);
            return new ConfiguredBrokerFactory({
              brokers: config.brokers,
              // Accounts added at run time trade as soon as the directory knows them (BrokerAccountsModule).
              ...(accounts === undefined ? {} : { accountOf: (brokerId: string, accountId: string) => accounts.findAccount(brokerId, accountId) }),
              liveTradingEnabled: config.liveTradingEnabled,
              maxConsecutiveFailures: engineOptions.maxConsecutiveFailures,
              resolveAdapter: (broker) => engineOptions.orderAdapters?.[broker.id] ?? viaJts(broker),
            });
          },
        },
      ],
      exports: [BROKER_FACTORY],
    };
  }
}
