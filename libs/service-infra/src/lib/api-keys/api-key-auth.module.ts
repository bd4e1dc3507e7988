import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEY_VERIFIER, BootstrapAdminKeyVerifier, type ApiKeyVerifier } from './api-key-verifier';
import { BootstrapAdminKey } from './bootstrap-admin-key';

export interface ApiKeyAuthModuleOptions {
  /** The key store; default: the bootstrap admin key alone. */
  verifier?: Type<ApiKeyVerifier>;
  /** Modules the verifier depends on (its repository ...). */
  imports?: ModuleMetadata['imports'];
}

/**
 * API-key authentication of every HTTP route and gRPC method (APP_GUARD): `X-API-Key` header or `x-api-key`
 * metadata, checked by the service's verifier, with the scope the route or method declares (@RequireScope),
 * none for @PublicRoute(), and `admin` when it declares nothing.
 */
@Module({})
export class ApiKeyAuthModule {
  static forRoot(options: ApiKeyAuthModuleOptions = {}): DynamicModule {
    const verifier = options.verifier ?? BootstrapAdminKeyVerifier;
    return {
      module: ApiKeyAuthModule,
      imports: options.imports ?? [],
      providers: [
        BootstrapAdminKey,
        verifier,
        { provide: API_KEY_VERIFIER, useExisting: verifier },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [BootstrapAdminKey, verifier, API_KEY_VERIFIER],
    };
  }
}
