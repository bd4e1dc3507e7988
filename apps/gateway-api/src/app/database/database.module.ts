import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { DataSource } from 'typeorm';
import { GATEWAY_ENTITIES, gatewayDataSourceOptions, openGatewayDataSource } from './data-source';

/** The gateway's database: the standalone data source of data-source.ts, migrated at start-up. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [PLATFORM_CONFIG],
      useFactory: (config: PlatformConfig) => gatewayDataSourceOptions(config.databaseUrl),
      dataSourceFactory: async (options) => {
        if (options === undefined) throw new Error('database options are missing');
        return openGatewayDataSource(new DataSource(options));
      },
    }),
    TypeOrmModule.forFeature(GATEWAY_ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
