import { AuthenticationError, BrokerUnavailableError, FailSafeCode, RateLimitExceededError } from '@qts/broker-domain';
import { asRecord, scalarText } from '../http/json-fields';
import { TokenEndpoint, TokenEndpointOptions, TokenRequestForm } from '../tokens/token-endpoint';
import type { IssuedAccessToken, TokenIssuer } from '../tokens/token-issuer';
import { KIWOOM_TOKEN_PATH } from './kiwoom-endpoints';
import { kiwoomMessageCode, mapKiwoomErrorToFailSafe } from './kiwoom-error-to-fail-safe';

export type KiwoomTokenIssuerOptions = TokenEndpointOptions;

const KIWOOM_TOKEN_FORM: TokenRequestForm = {
  brokerName: 'Kiwoom',
  path: KIWOOM_TOKEN_PATH,
  contentType: 'application/json;charset=UTF-8',
  secretField: 'secretkey',
};

/**
 * au10001: POST /oauth2/token with { grant_type: client_credentials, appkey, secretkey }. Kiwoom answers
 * { token, token_type, expires_dt: 'YYYYMMDDHHMMSS' (KST), return_code 0 } or a refusal with return_code and
 * return_msg (8001/8002 keys refused, 8030 real/paper key mix-up, 1700 rate limit).
 * (Kiwoom-Securities/Kiwoom-REST-API kiwoom/core/auth.py refresh_access_token, _parse_kiwoom_expiry)
 */
export class KiwoomTokenIssuer implements TokenIssuer {
  private readonly endpoint: TokenEndpoint;

  constructor(private readonly options: KiwoomTokenIssuerOptions) {
    this.endpoint = new TokenEndpoint(options, KIWOOM_TOKEN_FORM);
  }

  async issue(): Promise<IssuedAccessToken> {
    const { brokerId } = this.options;
    const response = await this.endpoint.requestToken();
    const body = asRecord(response.body);
    const returnCode = scalarText(body?.['return_code'])?.trim() ?? '';
    const token = scalarText(body?.['token']);
    const expiresAt = parseKiwoomExpiry(scalarText(body?.['expires_dt']));
    if (response.status === 200 && returnCode === '0' && token !== undefined && token !== '' && expiresAt !== undefined) {
      return { token, expiresAt };
    }
    const message = (scalarText(body?.['return_msg']) ?? '').trim();
    const brokerCode = kiwoomMessageCode(message) ?? (returnCode === '' ? `HTTP ${response.status}` : `return_code=${returnCode}`);
    const details = { brokerId, brokerCode };
    if (body === undefined && response.status >= 500) {
      throw new BrokerUnavailableError(`${brokerId}: Kiwoom token endpoint answered HTTP ${response.status}`, { details });
    }
    const code = mapKiwoomErrorToFailSafe({ returnCode, message, httpStatus: response.status });
    if (code === FailSafeCode.FS043) {
      throw new RateLimitExceededError(`${brokerId}: Kiwoom refused the token issuance: ${message}`, {
        retryAfterMs: 1_000,
        details,
      });
    }
    throw new AuthenticationError(
      `${brokerId}: Kiwoom refused the token issuance: ${message || brokerCode}`,
      { details },
    );
  }
}

/** 'YYYYMMDDHHMMSS' in KST, as Kiwoom writes expires_dt. */
export function parseKiwoomExpiry(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s] = match;
  const at = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}+09:00`);
  return Number.isNaN(at) ? undefined : at;
}
