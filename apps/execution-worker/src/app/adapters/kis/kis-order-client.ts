import { RestResponse } from '../rest/rest-response';

/**
 * How the KIS adapter reaches KIS: FetchKisOrderClient in production, a fake in tests. Implementations
 * add the credentials and tr_id headers, never retry, and report transport failures as
 * RestTransportError (so the adapter can tell "not sent" from "maybe sent").
 * A domain error may only be thrown for failures before the request leaves (AuthenticationError,
 * InvalidArgumentError, BrokerUnavailableError, RateLimitExceededError); anything else thrown while
 * sending an order is taken as "the order may have reached the broker".
 */
export interface KisOrderClient {
  post(path: string, trId: string, body: Readonly<Record<string, string>>): Promise<RestResponse>;
  get(path: string, trId: string, query: Readonly<Record<string, string>>): Promise<RestResponse>;
}
