import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { ISO_TIMESTAMP_COLUMN } from '../database/iso-timestamp-column';

/** Strategy ids as a JSON array in a text column (ids may hold any printable character, commas included). */
const strategyListTransformer: ValueTransformer = {
  to: (value: readonly string[] | null | undefined) => (value === null || value === undefined || value.length === 0 ? null : JSON.stringify(value)),
  from: (value: string | null | undefined): string[] => {
    if (value === null || value === undefined || value === '') return [];
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === 'string') : [];
  },
};

/**
 * The columns of a stored API key. Only the SHA-256 of the secret is stored; the secret itself is shown once, at
 * creation. Each service that keeps keys maps them to a table of its own (ApiKeyEntity: `api_keys`), so that services
 * sharing one database keep their keys apart.
 */
export abstract class StoredApiKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Hex SHA-256 of the full key. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash!: string;

  /** The key's first characters, so an operator can tell keys apart in a listing. Not a secret. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix!: string;

  /** Comma-separated scopes, e.g. "read,submit". */
  @Column({ type: 'varchar', length: 64 })
  scopes!: string;

  /** The strategies the key acts for (empty: none, or every one for an admin key). */
  @Column({ name: 'strategy_ids', type: 'text', nullable: true, transformer: strategyListTransformer })
  strategyIds!: string[];

  @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'revoked_at', ...ISO_TIMESTAMP_COLUMN, nullable: true })
  revokedAt!: Date | null;
}

/** The key table `api_keys` (the gateway's). */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity extends StoredApiKey {}

/** The entities a service whose key store uses `api_keys` adds to its database's entity list. */
export const API_KEY_ENTITIES = [ApiKeyEntity];
