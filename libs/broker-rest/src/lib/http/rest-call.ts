import type { BrokerOperation, OrderSendOptions } from '@qts/broker-domain';
import type { RestResponse } from './rest-response';

/**
 * What a REST request is for, as the rate limiter counts it: the domain operation it serves, or token
 * issuance (its own rule at KIS). A paged inquiry takes one permit per page.
 */
export type RestOperation = BrokerOperation | 'issueToken';

/** One request to a broker REST API, before credentials are added. */
export interface RestCall {
  operation: RestOperation;
  method: 'GET' | 'POST';
  path: string;
  /** The transaction id header: KIS `tr_id`, Kiwoom `api-id`. */
  apiId: string;
  /** POST body or GET query. Every value is a string, as both brokers require. */
  payload: Readonly<Record<string, string>>;
  /**
   * Continuation headers of a follow-up page: KIS `tr_cont: N`, Kiwoom `cont-yn: Y` and `next-key`.
   * Absent on a first request.
   */
  continuation?: Readonly<Record<string, string>>;
  /** Aborts a read (a quote stream that ends); orders are never sent with one. */
  signal?: AbortSignal;
  /**
   * An order's send-by time: the request never leaves after it (the permit wait ends there; OrderExpiredError,
   * nothing sent), a resend after a refused token included.
   */
  sendBy?: Date;
  /** Told when the request starts waiting for its permit, and when it is being sent. */
  onStage?: OrderSendOptions['onStage'];
}

/**
 * How adapters and gateways reach a broker: the KIS and Kiwoom HTTP clients in production, a scripted fake
 * in unit tests. Implementations add credentials, take a rate-limit permit for every request, never retry
 * except once after the broker refused an expired token, and report transport failures as
 * RestTransportError (so callers can tell "not sent" from "maybe sent").
 * A domain error may only be thrown for failures before the request leaves (AuthenticationError,
 * InvalidArgumentError, BrokerUnavailableError, RateLimitExceededError).
 */
export interface RestBrokerClient {
  send(call: RestCall): Promise<RestResponse>;
}
