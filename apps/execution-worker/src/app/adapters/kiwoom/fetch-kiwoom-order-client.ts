import { AccessTokenProvider, requireAccessToken } from '../rest/access-token-provider';
import { RestResponse } from '../rest/rest-response';
import { FetchFunction, sendJsonRequest } from '../rest/send-json-request';
import { KIWOOM_MOCK_BASE_URL, KIWOOM_REAL_BASE_URL } from './kiwoom-endpoints';
import { KiwoomOrderClient } from './kiwoom-order-client';

export interface FetchKiwoomOrderClientOptions {
  /** The 모의투자 server (mockapi.kiwoom.com) instead of the real one. */
  mock: boolean;
  tokenProvider: AccessTokenProvider;
  baseUrl?: string;
  /** Per-request deadline; default 5 s. */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The production KiwoomOrderClient over Node's fetch: POST with api-id and a bearer token. The token is
 * held privately and only ever written into the authorization header, never into logs or errors.
 */
export class FetchKiwoomOrderClient implements KiwoomOrderClient {
  readonly mock: boolean;
  readonly baseUrl: string;
  readonly #tokenProvider: AccessTokenProvider;
  readonly #timeoutMs: number;
  readonly #fetch: FetchFunction;

  constructor(options: FetchKiwoomOrderClientOptions) {
    this.mock = options.mock;
    this.baseUrl = (options.baseUrl ?? (options.mock ? KIWOOM_MOCK_BASE_URL : KIWOOM_REAL_BASE_URL)).replace(
      /\/+$/,
      '',
    );
    this.#tokenProvider = options.tokenProvider;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async post(path: string, apiId: string, body: Readonly<Record<string, string>>): Promise<RestResponse> {
    const headers = {
      'content-type': 'application/json;charset=UTF-8',
      authorization: `Bearer ${await requireAccessToken(this.#tokenProvider, 'Kiwoom')}`,
      'api-id': apiId,
    };
    return sendJsonRequest(this.#fetch, {
      method: 'POST',
      url: `${this.baseUrl}${path}`,
      headers,
      body,
      timeoutMs: this.#timeoutMs,
    });
  }
}
