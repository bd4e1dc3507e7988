/** Field names whose values are secrets wherever they appear in a log line. */
export const SECRET_FIELD_NAMES = ['apiKey', 'api_key', 'password', 'appkey', 'appsecret', 'secret', 'adminApiKey', 'token', 'key'];

/**
 * pino redaction paths: the credential headers of requests and responses, and the secret field names at the
 * top level and nested up to three levels (pino wildcards match one level each).
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELD_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`, `*.*.*.${name}`]),
];

export const REDACTION_CENSOR = '[REDACTED]';

/** Query parameter names (lower-cased, letters and digits only) whose values are secrets. */
const SECRET_PARAMETER_NAMES = new Set([
  'apikey',
  'xapikey',
  'key',
  'token',
  'accesstoken',
  'secret',
  'password',
  'appkey',
  'appsecret',
  'adminapikey',
  'authorization',
  'signature',
]);

/** The platform's own keys ("qts_" + 32 random bytes in base64url), wherever they appear in a URL. */
const PLATFORM_KEY_SHAPE = /qts_[A-Za-z0-9_-]{16,}/g;

function normalizedName(name: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // A broken escape: judge the raw name.
  }
  return decoded.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True for a query parameter or field name that holds a secret (api_key, X-Api-Key, access_token ...). */
export function isSecretParameterName(name: string): boolean {
  const normalized = normalizedName(name);
  return SECRET_PARAMETER_NAMES.has(normalized) || /apikey|token|secret|password/.test(normalized);
}

/**
 * A request URL as it may be logged: values of secret-named query parameters, anything shaped like a platform key
 * and the given secrets (the bootstrap admin key, raw and URL-encoded) replaced by REDACTION_CENSOR.
 */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  let redacted = url;
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) redacted = redacted.split(form).join(REDACTION_CENSOR);
  }
  redacted = redacted.replace(PLATFORM_KEY_SHAPE, REDACTION_CENSOR);
  const query = redacted.indexOf('?');
  if (query === -1) return redacted;
  const parameters = redacted
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals !== -1 && isSecretParameterName(pair.slice(0, equals)) ? `${pair.slice(0, equals)}=${REDACTION_CENSOR}` : pair;
    });
  return `${redacted.slice(0, query + 1)}${parameters.join('&')}`;
}
