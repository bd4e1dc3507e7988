// The console's API key and its calls. The key is kept for this browser tab only (sessionStorage), sent in the
// X-API-Key header, and never put in a URL.

const STORAGE_KEY = 'qts.console.apiKey';

/**
 * @param {Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined} [storage]
 */
export function createKeyStore(storage = globalThis.sessionStorage) {
  return {
    get() {
      try {
        return storage?.getItem(STORAGE_KEY) || undefined;
      } catch {
        return undefined;
      }
    },
    set(key) {
      try {
        storage?.setItem(STORAGE_KEY, key);
      } catch {
        // Private modes may refuse storage: the key then lasts as long as the page.
      }
    },
    clear() {
      try {
        storage?.removeItem(STORAGE_KEY);
      } catch {
        // Nothing kept.
      }
    },
  };
}

/** An API answer other than 2xx: its status, stable code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * JSON call with the key in X-API-Key; resolves the parsed body, rejects with ApiError.
 * @param {string} path
 * @param {{ key?: string, method?: string, body?: unknown, fetchImpl?: (url: string, init: RequestInit) => Promise<Response> }} [options]
 * @returns {Promise<any>}
 */
export async function callApi(path, { key, method = 'GET', body, fetchImpl = fetch } = {}) {
  const headers = { accept: 'application/json' };
  if (key) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetchImpl(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', `the service could not be reached (${error?.message ?? error})`);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    throw new ApiError(response.status, parsed?.code ?? `HTTP_${response.status}`, parsed?.message ?? `HTTP ${response.status}`);
  }
  return parsed;
}
