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
