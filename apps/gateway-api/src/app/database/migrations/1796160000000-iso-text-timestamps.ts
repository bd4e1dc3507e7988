import { Table, TableUnique, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** A timestamp column's SQL conversion, per driver, from the column named `column`. */
type Conversion = (column: string, postgres: boolean) => string;

/** bigint epoch milliseconds -> RFC 3339 UTC text with milliseconds, exactly (integer arithmetic only). */
const epochMillisToIso: Conversion = (column, postgres) =>
  postgres
    ? `to_char(to_timestamp(${column} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad((${column} % 1000)::text, 3, '0') || 'Z'`
    : `strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || '.' || printf('%03d', ${column} % 1000) || 'Z'`;

/** RFC 3339 UTC text with milliseconds -> bigint epoch milliseconds. */
const isoToEpochMillis: Conversion = (column, postgres) =>
  postgres
    ? `(EXTRACT(EPOCH FROM substr(${column}, 1, 19)::timestamp) * 1000)::bigint + substr(${column}, 21, 3)::int`
    : `CAST(strftime('%s', substr(${column}, 1, 19)) AS INTEGER) * 1000 + CAST(substr(${column}, 21, 3) AS INTEGER)`;

type Timestamp = { type: string; length?: string };

interface TableShape {
  name: string;
  /** Every column, in order, with the timestamp ones typed by `timestamp`. */
  columns: (timestamp: Timestamp) => TableColumnOptions[];
  timestampColumns: readonly string[];
  unique?: { name: string; columnNames: string[] };
}

const ISO_TEXT: Timestamp = { type: 'varchar', length: '32' };
const EPOCH_MILLIS: Timestamp = { type: 'bigint' };

const TABLES: readonly TableShape[] = [
  {
    name: 'api_keys',
    columns: (timestamp) => [
      { name: 'id', type: 'varchar', length: '36', isPrimary: true },
      { name: 'name', type: 'varchar', length: '100' },
      { name: 'key_hash', type: 'varchar', length: '64' },
      { name: 'key_prefix', type: 'varchar', length: '16' },
      { name: 'scopes', type: 'varchar', length: '64' },
      { name: 'created_at', ...timestamp },
      { name: 'revoked_at', ...timestamp, isNullable: true },
    ],
    timestampColumns: ['created_at', 'revoked_at'],
    unique: { name: 'UQ_api_keys_key_hash', columnNames: ['key_hash'] },
  },
  {
    name: 'idempotency_records',
    columns: (timestamp) => [
      { name: 'scope', type: 'varchar', length: '64', isPrimary: true },
      { name: 'idempotency_key', type: 'varchar', length: '255', isPrimary: true },
      { name: 'fingerprint', type: 'varchar', length: '64' },
      { name: 'state', type: 'varchar', length: '16' },
      { name: 'client_order_id', type: 'varchar', length: '64' },
      { name: 'broker_id', type: 'varchar', length: '64' },
      { name: 'status_code', type: 'integer', isNullable: true },
      { name: 'response_body', type: 'text', isNullable: true },
      { name: 'created_at', ...timestamp },
      { name: 'updated_at', ...timestamp },
    ],
    timestampColumns: ['created_at', 'updated_at'],
  },
  {
    name: 'candle_cache',
    columns: (timestamp) => [
      { name: 'broker_id', type: 'varchar', length: '64', isPrimary: true },
      { name: 'symbol', type: 'varchar', length: '6', isPrimary: true },
      { name: 'timeframe', type: 'varchar', length: '4', isPrimary: true },
      { name: 'bar_time', ...timestamp, isPrimary: true },
      { name: 'open', type: 'varchar', length: '32' },
      { name: 'high', type: 'varchar', length: '32' },
      { name: 'low', type: 'varchar', length: '32' },
      { name: 'close', type: 'varchar', length: '32' },
      { name: 'volume', type: 'bigint' },
      { name: 'fetched_at', ...timestamp },
    ],
    timestampColumns: ['bar_time', 'fetched_at'],
  },
];

/**
 * Instants as RFC 3339 UTC text, the one timestamp representation of every service's tables (they were bigint
 * epoch milliseconds here). Each table is rebuilt and its rows copied with their instants converted exactly; the
 * same migration runs on SQLite and PostgreSQL, only the conversion expression differs.
 */
export class IsoTextTimestamps1796160000000 implements MigrationInterface {
  readonly name = 'IsoTextTimestamps1796160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await rebuild(queryRunner, table, ISO_TEXT, epochMillisToIso);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await rebuild(queryRunner, table, EPOCH_MILLIS, isoToEpochMillis);
  }
}

/**
 * Creates `<name>_rebuilt` with the timestamp columns typed `timestamp`, copies every row converting those columns,
 * drops the old table and gives the new one its name (and its unique constraint, whose name must be free first).
 */
async function rebuild(
  queryRunner: QueryRunner,
  table: TableShape,
  timestamp: Timestamp,
  convert: Conversion,
): Promise<void> {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const rebuilt = `${table.name}_rebuilt`;
  const columns = table.columns(timestamp);
  await queryRunner.createTable(new Table({ name: rebuilt, columns }));
  const names = columns.map((column) => column.name);
  const selected = names.map((name) => (table.timestampColumns.includes(name) ? convert(name, postgres) : name));
  await queryRunner.query(`INSERT INTO ${rebuilt} (${names.join(', ')}) SELECT ${selected.join(', ')} FROM ${table.name}`);
  await queryRunner.dropTable(table.name);
  await queryRunner.renameTable(rebuilt, table.name);
  if (table.unique !== undefined) {
    await queryRunner.createUniqueConstraint(table.name, new TableUnique(table.unique));
  }
}
