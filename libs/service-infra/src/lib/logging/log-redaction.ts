/** Field names whose values are secrets wherever they appear in a log line. */
export const SECRET_FIELD_NAMES = ['apiKey', 'api_key', 'password', 'appkey', 'appsecret', 'secret', 'adminApiKey', 'token', 'key'];

/** Credential headers, should a request's or response's headers ever be logged. */
const CREDENTIAL_HEADER_NAMES = ['x-api-key', 'authorization', 'cookie', 'proxy-authorization', 'set-cookie'];

export const REDACTION_CENSOR = '[REDACTED]';

const CENSORED_JSON = JSON.stringify(REDACTION_CENSOR);

/**
 * A secret-named key in a serialised JSON line (the names are letters, digits, '-' and '_': nothing to escape).
 * Inside a JSON string every quote is escaped, so `"name":` with bare quotes is always a key, never text.
 */
const SECRET_KEY = new RegExp(`"(?:${[...SECRET_FIELD_NAMES, ...CREDENTIAL_HEADER_NAMES].join('|')})":`, 'g');

/**
 * One serialised log line (JSON) with the value of every secret-named field replaced by REDACTION_CENSOR, at any
 * depth, whatever its type. A line without such a field (nearly all of them) costs one regular-expression search;
 * pino's path-based redaction walked every logged object instead, several levels deep, on every line.
 */
export function redactSecretFields(line: string): string {
  SECRET_KEY.lastIndex = 0;
  if (!SECRET_KEY.test(line)) return line;
  SECRET_KEY.lastIndex = 0;
  let redacted = '';
  let copiedUpTo = 0;
  for (let match = SECRET_KEY.exec(line); match !== null; match = SECRET_KEY.exec(line)) {
    const valueStart = SECRET_KEY.lastIndex;
    if (valueStart < copiedUpTo) continue;
    const valueEnd = endOfJsonValue(line, valueStart);
    redacted += line.slice(copiedUpTo, valueStart) + CENSORED_JSON;
    copiedUpTo = valueEnd;
    SECRET_KEY.lastIndex = valueEnd;
  }
  return redacted + line.slice(copiedUpTo);
}

/** Where the JSON value starting at `start` ends (exclusive): a string, an object or array (nested), or a literal. */
function endOfJsonValue(json: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < json.length; index += 1) {
    const char = json[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') {
        inString = false;
        if (depth === 0) return index + 1;
      }
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      if (depth === 0) return index;
      depth -= 1;
      if (depth === 0) return index + 1;
    } else if (char === ',' && depth === 0) return index;
  }
  return json.length;
}

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
