import { Inject, Injectable, type Type } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { ApiKeyInvalidError, ApiKeyNotFoundError, RequestValidationError } from '../errors/platform-errors';
import { API_KEY_SCOPES, isApiKeyScope, type ApiKeyScope } from './api-key-scope';
import { generateApiKeySecret, hashApiKeySecret, visiblePrefixOf } from './api-key-secret';
import { presentedApiKey, type ApiKeyVerifier } from './api-key-verifier';
import type { ApiKeySummaryView, CreatedApiKeyView } from './api-key.views';
import type { StoredApiKey } from './api-key.entity';
import type { ApiPrincipal } from './api-principal';
import { BootstrapAdminKey } from './bootstrap-admin-key';

/** How a service keeps its API keys. */
export interface ApiKeyStoreOptions {
  /** The scopes keys of this service may be given (others are refused at creation). */
  scopes: readonly ApiKeyScope[];
  /**
   * 'required': a key without the admin scope must be bound to the strategies it acts for (the execution worker);
   * 'none': keys are never bound to strategies (the gateway).
   */
  strategyBinding: 'required' | 'none';
  /** Path of the admin routes (create, list, revoke), e.g. 'api/v1/admin/api-keys'. */
  adminPath: string;
  /** OpenAPI security scheme the admin routes are documented with, when the service publishes an OpenAPI document. */
  openApiSecurityScheme?: string;
  /**
   * The entity of the service's key table (in its database's entity list); default ApiKeyEntity (`api_keys`). A
   * service that may share a database with another one that keeps keys names a table of its own.
   */
  entity?: Type<StoredApiKey>;
}

/**
 * How long a verified key is trusted without reading its row again. Every request presents its key, and a database
 * read per request was the largest cost of a REST call; a revocation is effective at once on the replica that
 * revoked the key and within this time on the others.
 */
export const VERIFIED_KEY_TTL_MS = 2_000;
/** Distinct keys kept verified at most (the oldest make room); only keys that passed are kept, so guessing fills nothing. */
export const MAX_VERIFIED_KEYS = 10_000;

/** DI tokens of the options and of the key table's repository. */
export const API_KEY_STORE_OPTIONS = Symbol('API_KEY_STORE_OPTIONS');
export const API_KEY_REPOSITORY = Symbol('API_KEY_REPOSITORY');

/**
 * A service's API keys in its own database (its key table, `api_keys` by default): creation (the secret shown once, its SHA-256 stored),
 * listing, revocation, and the verifier of the API-key guard: the bootstrap ADMIN_API_KEY, then the stored keys, a
 * verified key trusted for VERIFIED_KEY_TTL_MS (revocation: at once on this replica, within that time on the others).
 */
@Injectable()
export class ApiKeyStore implements ApiKeyVerifier {
  /** Lookups of keys by hash, kept while they last: concurrent requests with one key share one read. */
  private readonly verified = new Map<string, { principal: Promise<ApiPrincipal>; until: number }>();

  constructor(
    @Inject(API_KEY_REPOSITORY) private readonly keys: Repository<StoredApiKey>,
    private readonly bootstrapAdmin: BootstrapAdminKey,
    @Inject(API_KEY_STORE_OPTIONS) private readonly options: ApiKeyStoreOptions,
  ) {}

  async create(name: string, scopes: readonly ApiKeyScope[], strategies: readonly string[] = []): Promise<CreatedApiKeyView> {
    this.checkGrant(scopes, strategies);
    const secret = generateApiKeySecret();
    const entity = this.keys.create({
      id: randomUUID(),
      name,
      keyHash: hashApiKeySecret(secret),
      keyPrefix: visiblePrefixOf(secret),
      scopes: API_KEY_SCOPES.filter((scope) => scopes.includes(scope)).join(','),
      strategyIds: [...strategies],
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.keys.insert(entity);
    return { ...summarize(entity), key: secret };
  }

  async list(): Promise<ApiKeySummaryView[]> {
    const entities = await this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return entities.map(summarize);
  }

  /** Revokes a key; revoking twice is harmless. Unknown id -> ApiKeyNotFoundError. */
  async revoke(id: string): Promise<ApiKeySummaryView> {
    const entity = await this.keys.findOneBy({ id });
    if (entity === null) throw new ApiKeyNotFoundError(id);
    if (entity.revokedAt === null) {
      entity.revokedAt = new Date();
      await this.keys.update({ id }, { revokedAt: entity.revokedAt });
    }
    this.verified.delete(entity.keyHash);
    return summarize(entity);
  }

  /**
   * The principal of a presented key: ApiKeyRequiredError when there is none, ApiKeyInvalidError when it is unknown
   * or revoked. The bootstrap ADMIN_API_KEY has every scope.
   */
  async authenticate(presented: unknown): Promise<ApiPrincipal> {
    const key = presentedApiKey(presented);
    const admin = this.bootstrapAdmin.match(key);
    if (admin !== undefined) return admin;
    // Looked up by hash: equality on a hash of a random key tells an attacker nothing useful.
    const keyHash = hashApiKeySecret(key);
    const now = Date.now();
    const cached = this.verified.get(keyHash);
    if (cached !== undefined && cached.until > now) return cached.principal;
    this.verified.delete(keyHash);
    const principal = this.lookUp(keyHash);
    if (this.verified.size >= MAX_VERIFIED_KEYS) this.verified.delete(this.verified.keys().next().value as string);
    const entry = { principal, until: now + VERIFIED_KEY_TTL_MS };
    this.verified.set(keyHash, entry);
    // A refused key (or a failed read) is not kept: the next request reads again.
    principal.catch(() => {
      if (this.verified.get(keyHash) === entry) this.verified.delete(keyHash);
    });
    return principal;
  }

  private async lookUp(keyHash: string): Promise<ApiPrincipal> {
    const entity = await this.keys.findOneBy({ keyHash });
    if (entity === null || entity.revokedAt !== null) throw new ApiKeyInvalidError();
    const scopes = new Set(parseScopes(entity.scopes));
    return { keyId: entity.id, name: entity.name, scopes, strategies: scopes.has('admin') ? 'all' : new Set(entity.strategyIds) };
  }

  /** Refuses what this service does not offer, and keys that would act for no strategy where keys are bound. */
  private checkGrant(scopes: readonly ApiKeyScope[], strategies: readonly string[]): void {
    const offered = new Set(this.options.scopes);
    const foreign = scopes.filter((scope) => !offered.has(scope));
    if (foreign.length > 0) {
      throw new RequestValidationError([`scopes: this service offers ${this.options.scopes.join(', ')} (not ${foreign.join(', ')})`], ['scopes']);
    }
    if (this.options.strategyBinding === 'none') {
      if (strategies.length > 0) throw new RequestValidationError(['strategies: keys of this service are not bound to strategies'], ['strategies']);
      return;
    }
    if (scopes.includes('admin')) {
      if (strategies.length > 0) {
        throw new RequestValidationError(['strategies: an admin key acts for every strategy; leave strategies out'], ['strategies']);
      }
    } else if (strategies.length === 0) {
      throw new RequestValidationError(['strategies: a key without the admin scope must name the strategies it acts for'], ['strategies']);
    }
  }
}

function parseScopes(value: string): ApiKeyScope[] {
  return value.split(',').filter(isApiKeyScope);
}

function summarize(entity: StoredApiKey): ApiKeySummaryView {
  return {
    id: entity.id,
    name: entity.name,
    scopes: parseScopes(entity.scopes),
    strategies: [...(entity.strategyIds ?? [])],
    keyPrefix: entity.keyPrefix,
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt === null ? null : entity.revokedAt.toISOString(),
  };
}
