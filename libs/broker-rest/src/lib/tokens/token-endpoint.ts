import { BrokerTimeoutError, BrokerUnavailableError } from '@qts/broker-domain';
import type { SecretText } from '../credentials/secret-text';
import type { RestResponse } from '../http/rest-response';
import { isRestTransportError } from '../http/rest-transport-error';
import { FetchFunction, sendJsonRequest } from '../http/send-json-request';

/** Where and how a broker takes the client-credentials grant. */
export interface TokenRequestForm {
  /** 'KIS' or 'Kiwoom', as errors name the broker. */
  brokerName: string;
  path: string;
  /** The content type the broker's samples send (each broker spells its own). */
  contentType: string;
  /** The body field of the app secret (KIS appsecret, Kiwoom secretkey); the app key is appkey at both. */
  secretField: string;
}

export interface TokenEndpointOptions {
  brokerId: string;
  baseUrl: string;
  appKey: SecretText;
  appSecret: SecretText;
  timeoutMs?: number;
  fetch?: FetchFunction;
}

/** Default bound on one token request. */
const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

/**
 * A broker's OAuth token endpoint: one JSON POST per issuance, never retried. The broker's answer is returned
 * whatever its status, for the broker's issuer to read.
 */
export class TokenEndpoint {
  private readonly url: string;
  private readonly fetchFn: FetchFunction;

  constructor(
    private readonly options: TokenEndpointOptions,
    private readonly form: TokenRequestForm,
  ) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${form.path}`;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Asks for a token with the app key and secret; a failure below HTTP is BrokerTimeoutError or
   * BrokerUnavailableError.
   */
  async requestToken(): Promise<RestResponse> {
    const { options, form } = this;
    try {
      return await sendJsonRequest(this.fetchFn, {
        method: 'POST',
        url: this.url,
        headers: { 'content-type': form.contentType },
        body: {
          grant_type: 'client_credentials',
          appkey: options.appKey.reveal(),
          [form.secretField]: options.appSecret.reveal(),
        },
        timeoutMs: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
      });
    } catch (error) {
      throw tokenTransportFailure(error, options.brokerId, form.brokerName);
    }
  }
}

/** A token request that failed below HTTP: nothing depends on it, so a plain unavailable/timeout error. */
export function tokenTransportFailure(error: unknown, brokerId: string, brokerName: string): Error {
  if (isRestTransportError(error) && error.kind === 'timeout') {
    return new BrokerTimeoutError(`${brokerId}: ${brokerName} token issuance timed out`, {
      details: { brokerId },
      cause: error,
    });
  }
  return new BrokerUnavailableError(
    `${brokerId}: ${brokerName} token endpoint unreachable (${error instanceof Error ? error.message : String(error)})`,
    { details: { brokerId }, cause: error },
  );
}
