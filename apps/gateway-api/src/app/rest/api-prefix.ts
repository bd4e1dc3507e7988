/** Prefix of the versioned REST API; health, metrics, docs and dashboard live outside it. */
export const API_PREFIX = 'api/v1';

/** Name of the X-API-Key security scheme in the OpenAPI document. */
export const API_KEY_SECURITY_SCHEME = 'api-key';
