import { Injectable } from '@nestjs/common';
import { ApiKeyInvalidError, ApiKeyRequiredError } from '../errors/platform-errors';
import type { ApiPrincipal } from './api-principal';
import { BootstrapAdminKey } from './bootstrap-admin-key';

/** Who a presented API key belongs to: the principal, or ApiKeyRequiredError / ApiKeyInvalidError. */
export interface ApiKeyVerifier {
  authenticate(presented: unknown): Promise<ApiPrincipal>;
}

/** DI token of the service's ApiKeyVerifier. */
export const API_KEY_VERIFIER = Symbol('API_KEY_VERIFIER');

/** Longer values are refused without hashing them. */
export const MAX_API_KEY_LENGTH = 256;

/**
 * The presented key as a string, or the error that refuses it: ApiKeyRequiredError when there is none,
 * ApiKeyInvalidError when it is not one string of a sane length (several keys in one request are refused rather
 * than picking one).
 */
export function presentedApiKey(presented: unknown): string {
  if (presented === undefined || presented === null || presented === '') throw new ApiKeyRequiredError();
  if (typeof presented !== 'string' || presented.length > MAX_API_KEY_LENGTH) throw new ApiKeyInvalidError();
  return presented;
}

/** Accepts the bootstrap admin key alone: for a service without a key store. */
@Injectable()
export class BootstrapAdminKeyVerifier implements ApiKeyVerifier {
  constructor(private readonly admin: BootstrapAdminKey) {}

  async authenticate(presented: unknown): Promise<ApiPrincipal> {
    const key = presentedApiKey(presented);
    if (!this.admin.configured) throw new ApiKeyInvalidError('no API key is accepted: ADMIN_API_KEY is not set');
    const principal = this.admin.match(key);
    if (principal === undefined) throw new ApiKeyInvalidError();
    return principal;
  }
}
