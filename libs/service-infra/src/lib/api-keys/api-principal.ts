import type { ApiKeyScope } from './api-key-scope';

/** Who is calling: the API key that authenticated the request. */
export interface ApiPrincipal {
  /** Key id; idempotency keys are scoped by it. */
  keyId: string;
  name: string;
  scopes: ReadonlySet<ApiKeyScope>;
  /**
   * The strategies the key acts for: 'all' for admin keys, otherwise the strategy ids it is bound to (the worker's
   * keys; empty for keys that are not bound, which therefore act for no strategy).
   */
  strategies: ReadonlySet<string> | 'all';
}

/** The key id of the ADMIN_API_KEY from the environment. */
export const BOOTSTRAP_ADMIN_KEY_ID = 'bootstrap-admin';
