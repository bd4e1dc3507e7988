import { BrokerTimeoutError, BrokerUnavailableError } from '@qts/broker-domain';
import type { RestResponse } from '../http/rest-response';
import { isRestTransportError } from '../http/rest-transport-error';
import { FetchFunction, sendJsonRequest } from '../http/send-json-request';

export interface TokenEndpointOptions {
  brokerId: string;
  /** 'KIS' or 'Kiwoom', as errors name the broker. */
  brokerName: string;
  baseUrl: string;
  path: string;
  /** The content type the broker's samples send (each broker spells its own). */
  contentType: string;
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

  constructor(private readonly options: TokenEndpointOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${options.path}`;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** POSTs `body`; a failure below HTTP is BrokerTimeoutError or BrokerUnavailableError. */
  async post(body: Record<string, string>): Promise<RestResponse> {
    try {
      return await sendJsonRequest(this.fetchFn, {
        method: 'POST',
        url: this.url,
        headers: { 'content-type': this.options.contentType },
        body,
        timeoutMs: this.options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
      });
    } catch (error) {
      throw tokenTransportFailure(error, this.options.brokerId, this.options.brokerName);
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
