import { RestResponse } from '../rest/rest-response';

/**
 * How the Kiwoom adapter reaches Kiwoom: FetchKiwoomOrderClient in production, a fake in tests. Every
 * Kiwoom REST call is a POST with an api-id header. Implementations add the bearer token, never retry,
 * and report transport failures as RestTransportError.
 * A domain error may only be thrown for failures before the request leaves (AuthenticationError,
 * InvalidArgumentError, BrokerUnavailableError, RateLimitExceededError); anything else thrown while
 * sending an order is taken as "the order may have reached the broker".
 */
export interface KiwoomOrderClient {
  post(path: string, apiId: string, body: Readonly<Record<string, string>>): Promise<RestResponse>;
}
