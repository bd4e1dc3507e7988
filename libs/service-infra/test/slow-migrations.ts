import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Counts migration runs, and how many ran at the same moment, across every data source of the test process. */
export class MigrationRunProbe {
  private active = 0;
  private runs = 0;
  private mostAtOnce = 0;

  async during(body: () => Promise<void>): Promise<void> {
    this.active += 1;
    this.runs += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.active);
    try {
      await body();
    } finally {
      this.active -= 1;
    }
  }

  summary(): { runs: number; mostAtOnce: number } {
    return { runs: this.runs, mostAtOnce: this.mostAtOnce };
  }
}

/**
 * Two migrations that each stay open for a while (a timer inside the migration's transaction), so that data sources
 * opening the same database at once would run them side by side if nothing serialised them. Plain SQL that SQLite
 * and PostgreSQL both take.
 */
export function slowMigrations(probe: MigrationRunProbe, holdMs = 150): Array<new () => MigrationInterface> {
  const hold = () => new Promise((resolve) => setTimeout(resolve, holdMs));
  class SlowFirst1700000000001 implements MigrationInterface {
    readonly name = 'SlowFirst1700000000001';
    async up(queryRunner: QueryRunner): Promise<void> {
      await probe.during(async () => {
        await queryRunner.query('CREATE TABLE slow_first (id integer PRIMARY KEY)');
        await hold();
      });
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query('DROP TABLE slow_first');
    }
  }
  class SlowSecond1700000000002 implements MigrationInterface {
    readonly name = 'SlowSecond1700000000002';
    async up(queryRunner: QueryRunner): Promise<void> {
      await probe.during(async () => {
        await hold();
        await queryRunner.query('CREATE TABLE slow_second (id integer PRIMARY KEY)');
      });
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query('DROP TABLE slow_second');
    }
  }
  return [SlowFirst1700000000001, SlowSecond1700000000002];
}
