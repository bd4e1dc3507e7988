import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import {
  ApiKeyInvalidError,
  ApiKeyNotFoundError,
  ApiKeyRequiredError,
  InsufficientScopeError,
} from '../errors/gateway-errors';
import { API_KEY_SCOPES, isApiKeyScope, type ApiKeyScope } from './api-key-scope';
import { generateApiKeySecret, hashApiKeySecret, secretsEqual, visiblePrefixOf } from './api-key-secret';
import { ApiKeyEntity } from './api-key.entity';
import { BOOTSTRAP_ADMIN_KEY_ID, type ApiPrincipal } from './api-principal';

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

/** Longer header values are refused without hashing them. */
const MAX_KEY_LENGTH = 256;

/** API keys: creation, listing, revocation and authentication of callers (REST and gRPC alike). */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
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
    if (presented === undefined || presented === null || presented === '') throw new ApiKeyRequiredError();
    if (typeof presented !== 'string' || presented.length > MAX_KEY_LENGTH) throw new ApiKeyInvalidError();
    const admin = this.config.adminApiKey;
    if (admin !== undefined && secretsEqual(presented, admin)) {
      return { keyId: BOOTSTRAP_ADMIN_KEY_ID, name: 'ADMIN_API_KEY', scopes: new Set(API_KEY_SCOPES) };
    }
    // Looked up by hash: equality on a hash of a random key tells an attacker nothing useful.
    const entity = await this.keys.findOneBy({ keyHash: hashApiKeySecret(presented) });
    if (entity === null || entity.revokedAt !== null) throw new ApiKeyInvalidError();
    return { keyId: entity.id, name: entity.name, scopes: new Set(parseScopes(entity.scopes)) };
  }

  /** Authenticates and checks one scope: the whole access decision of a route or an RPC. */
  async authorize(presented: unknown, scope: ApiKeyScope): Promise<ApiPrincipal> {
    const principal = await this.authenticate(presented);
    if (!principal.scopes.has(scope)) throw new InsufficientScopeError(scope);
    return principal;
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
