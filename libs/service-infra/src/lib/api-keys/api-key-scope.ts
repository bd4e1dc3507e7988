/**
 * What an API key may do: `read` market data, accounts, intents and execution reports; `trade` (place and cancel
 * orders through the gateway); `submit` (send execution intents to the worker); `admin` (keys, fail-safe resets).
 * Scopes are independent: a submit-only key cannot read, a trade key cannot submit intents.
 */
export const API_KEY_SCOPES = ['read', 'trade', 'submit', 'admin'] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}
