import { Module, type DynamicModule, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyEntity } from './api-key.entity';
import { API_KEY_REPOSITORY, API_KEY_STORE_OPTIONS, ApiKeyStore, type ApiKeyStoreOptions } from './api-key-store';
import { apiKeysAdminController } from './api-keys-admin.controller';
import { API_KEY_VERIFIER, BootstrapAdminKeyVerifier, type ApiKeyVerifier } from './api-key-verifier';
import { BootstrapAdminKey } from './bootstrap-admin-key';

export interface ApiKeyAuthModuleOptions {
  /**
   * The service's key store in its database (its key table: `api_keys`, entities API_KEY_ENTITIES, unless
   * `store.entity` names another), with its admin routes.
   * Without it (and without `verifier`) only the bootstrap admin key is accepted.
   */
  store?: ApiKeyStoreOptions;
  /** A verifier of its own instead (tests). */
  verifier?: Type<ApiKeyVerifier>;
  /** Modules the verifier depends on. */
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
    const store = options.store;
    const verifier = store !== undefined ? ApiKeyStore : (options.verifier ?? BootstrapAdminKeyVerifier);
    const storeProviders: Provider[] =
      store === undefined
        ? []
        : [
            { provide: API_KEY_STORE_OPTIONS, useValue: store },
            {
              provide: API_KEY_REPOSITORY,
              inject: [DataSource],
              useFactory: (dataSource: DataSource) => dataSource.getRepository(store.entity ?? ApiKeyEntity),
            },
          ];
    return {
      module: ApiKeyAuthModule,
      imports: options.imports ?? [],
      controllers: store === undefined ? [] : [apiKeysAdminController(store)],
      providers: [
        BootstrapAdminKey,
        ...storeProviders,
        verifier,
        { provide: API_KEY_VERIFIER, useExisting: verifier },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [BootstrapAdminKey, verifier, API_KEY_VERIFIER],
    };
  }
}
