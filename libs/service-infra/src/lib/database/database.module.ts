import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { openServiceDataSource, serviceDataSourceOptions, type ServiceDatabaseOptions } from './service-data-source';

/**
 * The service's database from DATABASE_URL (SQLite by default, PostgreSQL for postgres:// URLs), migrated before
 * anything else starts, with a repository for each entity. The data source is closed last on shutdown, after the
 * servers have drained. Terminus' TypeOrmHealthIndicator pings it for readiness.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: ServiceDatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) => serviceDataSourceOptions(config.databaseUrl, options),
          dataSourceFactory: async (dataSourceOptions) => {
            if (dataSourceOptions === undefined) throw new Error('database options are missing');
            return openServiceDataSource(dataSourceOptions);
          },
        }),
        TypeOrmModule.forFeature(options.entities),
      ],
      exports: [TypeOrmModule],
    };
  }
}
