import { Global, Module, type DynamicModule } from '@nestjs/common';
import { loadPlatformConfig, type LoadPlatformConfigOptions } from './load-platform-config';
import type { PlatformConfig } from './platform-config';

/** Injection token of the validated {@link PlatformConfig}. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

/**
 * Validates the configuration while the application module is built, so a bad file stops start-up before any
 * server listens. Tests pass a ready `config`.
 */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(options: LoadPlatformConfigOptions & { config?: PlatformConfig } = {}): DynamicModule {
    return {
      module: PlatformConfigModule,
      providers: [{ provide: PLATFORM_CONFIG, useFactory: () => options.config ?? loadPlatformConfig(options) }],
      exports: [PLATFORM_CONFIG],
    };
  }
}
