import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { API_KEY_SCOPES } from './api-key-scope';
import { hashApiKeySecret, hashesEqual } from './api-key-secret';
import { BOOTSTRAP_ADMIN_KEY_ID, type ApiPrincipal } from './api-principal';

/**
 * The bootstrap admin key of the environment (ADMIN_API_KEY): every scope. Only its SHA-256 is kept in memory, and
 * a presented key is compared by hash in constant time.
 */
@Injectable()
export class BootstrapAdminKey {
  private readonly hash: string | undefined;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.hash = config.adminApiKey === undefined ? undefined : hashApiKeySecret(config.adminApiKey);
  }

  /** False when ADMIN_API_KEY is not set. */
  get configured(): boolean {
    return this.hash !== undefined;
  }

  /** The admin principal when `presented` is the bootstrap key; undefined otherwise. */
  match(presented: string): ApiPrincipal | undefined {
    if (this.hash === undefined || !hashesEqual(hashApiKeySecret(presented), this.hash)) return undefined;
    return { keyId: BOOTSTRAP_ADMIN_KEY_ID, name: 'ADMIN_API_KEY', scopes: new Set(API_KEY_SCOPES), strategies: 'all' };
  }
}
