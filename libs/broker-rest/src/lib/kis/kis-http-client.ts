import { InvalidArgumentError } from '@qts/broker-domain';
import type { SecretText } from '../credentials/secret-text';
import { AuthorizedRestClient, AuthorizedRestClientOptions } from '../http/authorized-rest-client';
import { asRecord, scalarText } from '../http/json-fields';
import type { RestCall } from '../http/rest-call';
import type { RestResponse } from '../http/rest-response';
import { kisTrIdEnvironment } from './kis-endpoints';

export interface KisHttpClientOptions extends AuthorizedRestClientOptions {
  /** 모의투자 server instead of the real one; must agree with the adapters' `paper`. */
  paper: boolean;
  appKey: SecretText;
  appSecret: SecretText;
}

/**
 * msg_cd values with which KIS refuses the access token: EGW00123 expired, EGW00121 not valid. A new token
 * fixes both, so the request is sent once more with one.
 */
export const KIS_TOKEN_REJECTION_CODES: ReadonlySet<string> = new Set(['EGW00121', 'EGW00123']);

/**
 * KIS over HTTP: appkey, appsecret, the bearer token, tr_id, tr_cont and custtype 'P' (individual) as in
 * koreainvestment/open-trading-api examples_user/kis_auth.py (_url_fetch). Refuses to send a paper tr_id
 * (V...) to the real server or a real one (T...) to the paper server: a mix-up there is a real-money order.
 */
export class KisHttpClient extends AuthorizedRestClient {
  readonly paper: boolean;
  readonly #appKey: SecretText;
  readonly #appSecret: SecretText;

  constructor(options: KisHttpClientOptions) {
    super(options);
    if (options.appKey === undefined || options.appKey.length === 0) {
      throw new InvalidArgumentError('KIS appKey is required', { field: 'appKey' });
    }
    if (options.appSecret === undefined || options.appSecret.length === 0) {
      throw new InvalidArgumentError('KIS appSecret is required', { field: 'appSecret' });
    }
    this.paper = options.paper;
    this.#appKey = options.appKey;
    this.#appSecret = options.appSecret;
  }

  protected override checkCall(call: RestCall): void {
    const environment = kisTrIdEnvironment(call.apiId);
    if (environment !== undefined && environment !== (this.paper ? 'paper' : 'real')) {
      throw new InvalidArgumentError(
        `tr_id ${call.apiId} is for the ${environment} server but this client talks to the ${this.paper ? 'paper' : 'real'} server`,
        { field: 'trId' },
      );
    }
  }

  protected headersFor(call: RestCall, token: string): Record<string, string> {
    return {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${token}`,
      appkey: this.#appKey.reveal(),
      appsecret: this.#appSecret.reveal(),
      tr_id: call.apiId,
      tr_cont: call.continuation?.['tr_cont'] ?? '',
      custtype: 'P',
    };
  }

  protected isTokenRejection(response: RestResponse): boolean {
    const code = scalarText(asRecord(response.body)?.['msg_cd'])?.trim();
    return code !== undefined && KIS_TOKEN_REJECTION_CODES.has(code);
  }
}
