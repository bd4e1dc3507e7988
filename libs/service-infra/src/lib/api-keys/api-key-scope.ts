/** What an API key may do: `read` market data and accounts, `trade` (place and cancel orders), `admin` keys. */
export const API_KEY_SCOPES = ['read', 'trade', 'admin'] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}
