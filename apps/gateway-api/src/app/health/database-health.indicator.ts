import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/** How long a ping may take before the database counts as down. */
export const DATABASE_PING_TIMEOUT_MS = 2_000;

/** `SELECT 1` on the gateway's database. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async ping(): Promise<HealthIndicatorResult> {
    const session = this.health.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_PING_TIMEOUT_MS} ms`)), DATABASE_PING_TIMEOUT_MS);
        }),
      ]);
      return session.up({ type: this.dataSource.options.type });
    } catch (error) {
      return session.down({ type: this.dataSource.options.type, message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
