import { InvalidArgumentError } from '@qts/broker-domain';
import { AccessTokenProvider, requireAccessToken } from '../rest/access-token-provider';
import { RestResponse } from '../rest/rest-response';
import { FetchFunction, sendJsonRequest } from '../rest/send-json-request';
import { KIS_PAPER_BASE_URL, KIS_REAL_BASE_URL, kisTrIdEnvironment } from './kis-endpoints';
import { KisOrderClient } from './kis-order-client';

export interface FetchKisOrderClientOptions {
  /** 모의투자 server instead of the real one; must agree with the adapter's `paper`. */
  paper: boolean;
  appKey: string;
  appSecret: string;
  tokenProvider: AccessTokenProvider;
  /** Default: the real or paper KIS URL. */
  baseUrl?: string;
  /** Per-request deadline; default 5 s. */
  timeoutMs?: number;
  /** Default: Node's global fetch. */
  fetch?: FetchFunction;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The production KisOrderClient over Node's fetch. Sends appkey, appsecret, the bearer token, tr_id and
 * custtype 'P' (individual). The key, secret and token live in private fields, are only ever written
 * into request headers and never into logs or error messages. Refuses to send a paper tr_id (V...) to
 * the real server or a real one (T...) to the paper server: a mix-up there is a real-money order.
 */
export class FetchKisOrderClient implements KisOrderClient {
  readonly paper: boolean;
  readonly baseUrl: string;
  readonly #appKey: string;
  readonly #appSecret: string;
  readonly #tokenProvider: AccessTokenProvider;
  readonly #timeoutMs: number;
  readonly #fetch: FetchFunction;

  constructor(options: FetchKisOrderClientOptions) {
    if (typeof options.appKey !== 'string' || options.appKey === '') {
      throw new InvalidArgumentError('KIS appKey is required', { field: 'appKey' });
    }
    if (typeof options.appSecret !== 'string' || options.appSecret === '') {
      throw new InvalidArgumentError('KIS appSecret is required', { field: 'appSecret' });
    }
    this.paper = options.paper;
    this.baseUrl = (options.baseUrl ?? (options.paper ? KIS_PAPER_BASE_URL : KIS_REAL_BASE_URL)).replace(
      /\/+$/,
      '',
    );
    this.#appKey = options.appKey;
    this.#appSecret = options.appSecret;
    this.#tokenProvider = options.tokenProvider;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async post(path: string, trId: string, body: Readonly<Record<string, string>>): Promise<RestResponse> {
    const headers = await this.headers(trId);
    return sendJsonRequest(this.#fetch, {
      method: 'POST',
      url: `${this.baseUrl}${path}`,
      headers,
      body,
      timeoutMs: this.#timeoutMs,
    });
  }

  async get(path: string, trId: string, query: Readonly<Record<string, string>>): Promise<RestResponse> {
    const headers = { ...(await this.headers(trId)), tr_cont: '' };
    const url = `${this.baseUrl}${path}?${new URLSearchParams(query).toString()}`;
    return sendJsonRequest(this.#fetch, { method: 'GET', url, headers, timeoutMs: this.#timeoutMs });
  }

  private async headers(trId: string): Promise<Record<string, string>> {
    const environment = kisTrIdEnvironment(trId);
    if (environment !== undefined && environment !== (this.paper ? 'paper' : 'real')) {
      throw new InvalidArgumentError(
        `tr_id ${trId} is for the ${environment} server but this client talks to the ${this.paper ? 'paper' : 'real'} server`,
        { field: 'trId' },
      );
    }
    return {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${await requireAccessToken(this.#tokenProvider, 'KIS')}`,
      appkey: this.#appKey,
      appsecret: this.#appSecret,
      tr_id: trId,
      custtype: 'P',
    };
  }
}
