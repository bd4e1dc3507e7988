import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  API_KEY_SCOPES,
  ApiKeyInvalidError,
  BootstrapAdminKey,
  generateApiKeySecret,
  hashApiKeySecret,
  isApiKeyScope,
  presentedApiKey,
  visiblePrefixOf,
  type ApiKeyScope,
  type ApiKeyVerifier,
  type ApiPrincipal,
} from '@qts/service-infra';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ApiKeyNotFoundError } from '../errors/gateway-errors';
import { ApiKeyEntity } from './api-key.entity';

/** A key as listed: never the secret or its hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** The answer to a creation: the only time the key itself is ever shown. */
export interface CreatedApiKey extends ApiKeySummary {
  key: string;
}

/**
 * The gateway's API keys: creation, listing, revocation, and the verifier of the API-key guard (REST and gRPC
 * alike): the bootstrap ADMIN_API_KEY, then the stored keys.
 */
@Injectable()
export class ApiKeyService implements ApiKeyVerifier {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly bootstrapAdmin: BootstrapAdminKey,
  ) {}

  async create(name: string, scopes: readonly ApiKeyScope[]): Promise<CreatedApiKey> {
    const secret = generateApiKeySecret();
    const entity = this.keys.create({
      id: randomUUID(),
      name,
      keyHash: hashApiKeySecret(secret),
      keyPrefix: visiblePrefixOf(secret),
      scopes: API_KEY_SCOPES.filter((scope) => scopes.includes(scope)).join(','),
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.keys.insert(entity);
    return { ...summarize(entity), key: secret };
  }

  async list(): Promise<ApiKeySummary[]> {
    const entities = await this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return entities.map(summarize);
  }

  /** Revokes a key; revoking twice is harmless. Unknown id -> ApiKeyNotFoundError. */
  async revoke(id: string): Promise<ApiKeySummary> {
    const entity = await this.keys.findOneBy({ id });
    if (entity === null) throw new ApiKeyNotFoundError(id);
    if (entity.revokedAt === null) {
      entity.revokedAt = new Date();
      await this.keys.update({ id }, { revokedAt: entity.revokedAt });
    }
    return summarize(entity);
  }

  /**
   * The principal of a presented key: ApiKeyRequiredError when there is none, ApiKeyInvalidError when it
   * is unknown or revoked. The bootstrap ADMIN_API_KEY has every scope.
   */
  async authenticate(presented: unknown): Promise<ApiPrincipal> {
    const key = presentedApiKey(presented);
    const admin = this.bootstrapAdmin.match(key);
    if (admin !== undefined) return admin;
    // Looked up by hash: equality on a hash of a random key tells an attacker nothing useful.
    const entity = await this.keys.findOneBy({ keyHash: hashApiKeySecret(key) });
    if (entity === null || entity.revokedAt !== null) throw new ApiKeyInvalidError();
    return { keyId: entity.id, name: entity.name, scopes: new Set(parseScopes(entity.scopes)) };
  }
}

function parseScopes(value: string): ApiKeyScope[] {
  return value.split(',').filter(isApiKeyScope);
}

function summarize(entity: ApiKeyEntity): ApiKeySummary {
  return {
    id: entity.id,
    name: entity.name,
    scopes: parseScopes(entity.scopes),
    keyPrefix: entity.keyPrefix,
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt === null ? null : entity.revokedAt.toISOString(),
  };
}
