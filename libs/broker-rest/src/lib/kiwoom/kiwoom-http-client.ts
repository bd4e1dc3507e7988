import { AuthorizedRestClient, AuthorizedRestClientOptions } from '../http/authorized-rest-client';
import { asRecord, scalarText } from '../http/json-fields';
import type { RestCall } from '../http/rest-call';
import type { RestResponse } from '../http/rest-response';
import { kiwoomMessageCode } from './kiwoom-error-to-fail-safe';

/**
 * Codes with which Kiwoom refuses the access token and a new token fixes it: 8005 (token not valid), 8031
 * (token of the other server), 8103 (token or device authentication failed). Kiwoom's own client recovers
 * from exactly these by issuing anew (Kiwoom-Securities/Kiwoom-REST-API kiwoom/core/client.py).
 */
export const KIWOOM_TOKEN_REJECTION_CODES: ReadonlySet<string> = new Set(['8005', '8031', '8103']);

/**
 * Kiwoom over HTTP: every call a POST with the api-id header, the bearer token and, on follow-up pages,
 * cont-yn / next-key (kiwoom/core/client.py). The account is the app key's: requests carry none.
 */
export class KiwoomHttpClient extends AuthorizedRestClient {
  constructor(options: AuthorizedRestClientOptions) {
    super(options);
  }

  protected headersFor(call: RestCall, token: string): Record<string, string> {
    return {
      'content-type': 'application/json;charset=UTF-8',
      authorization: `Bearer ${token}`,
      'api-id': call.apiId,
      ...(call.continuation ?? {}),
    };
  }

  protected isTokenRejection(response: RestResponse): boolean {
    if (response.status === 401) {
      return true;
    }
    const body = asRecord(response.body);
    const returnCode = scalarText(body?.['return_code'])?.trim();
    const code = kiwoomMessageCode(scalarText(body?.['return_msg'])) ?? returnCode;
    return code !== undefined && KIWOOM_TOKEN_REJECTION_CODES.has(code);
  }
}
