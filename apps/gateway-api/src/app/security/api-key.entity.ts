import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/** An API key. Only the SHA-256 of the secret is stored; the secret itself is shown once, at creation. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
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

  /** Comma-separated scopes, e.g. "read,trade". */
  @Column({ type: 'varchar', length: 64 })
  scopes!: string;

  @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'revoked_at', ...ISO_TIMESTAMP_COLUMN, nullable: true })
  revokedAt!: Date | null;
}
