import { AuthenticationError, BrokerUnavailableError, RateLimitExceededError } from '@qts/broker-domain';
import { asRecord, scalarText } from '../http/json-fields';
import { TokenEndpoint, TokenEndpointOptions, TokenRequestForm } from '../tokens/token-endpoint';
import type { IssuedAccessToken, TokenIssuer } from '../tokens/token-issuer';
import { KIS_TOKEN_PATH } from './kis-endpoints';

export interface KisTokenIssuerOptions extends TokenEndpointOptions {
  now?: () => number;
}

/** KIS answers a second issuance within a minute with this error_code (HTTP 403). */
export const KIS_TOKEN_ISSUANCE_LIMIT_CODE = 'EGW00133';

const KIS_TOKEN_FORM: TokenRequestForm = {
  brokerName: 'KIS',
  path: KIS_TOKEN_PATH,
  contentType: 'application/json; charset=utf-8',
  secretField: 'appsecret',
};

/**
 * POST /oauth2/tokenP with { grant_type: client_credentials, appkey, appsecret }. KIS answers
 * { access_token, token_type, expires_in, access_token_token_expired: 'YYYY-MM-DD HH:MM:SS' (KST) }, about
 * 24 hours; refusals come as HTTP 403 { error_code, error_description }: EGW00133 (one issuance a minute),
 * EGW00103 / EGW00105 (app key / secret not valid). (koreainvestment/open-trading-api
 * examples_llm/auth/auth_token/auth_token.py, examples_user/kis_auth.py, README "토큰 재발급 - 1분당 1회")
 */
export class KisTokenIssuer implements TokenIssuer {
  private readonly endpoint: TokenEndpoint;
  private readonly now: () => number;

  constructor(private readonly options: KisTokenIssuerOptions) {
    this.endpoint = new TokenEndpoint(options, KIS_TOKEN_FORM);
    this.now = options.now ?? Date.now;
  }

  async issue(): Promise<IssuedAccessToken> {
    const { brokerId } = this.options;
    const response = await this.endpoint.requestToken();
    const body = asRecord(response.body);
    const token = scalarText(body?.['access_token']);
    if (response.status === 200 && token !== undefined && token !== '') {
      return { token, expiresAt: this.expiryOf(body as Record<string, unknown>) };
    }
    const code = scalarText(body?.['error_code'])?.trim() ?? scalarText(body?.['msg_cd'])?.trim();
    const description = (scalarText(body?.['error_description']) ?? scalarText(body?.['msg1']) ?? '').trim();
    const details = { brokerId, brokerCode: code ?? `HTTP ${response.status}` };
    if (code === KIS_TOKEN_ISSUANCE_LIMIT_CODE) {
      throw new RateLimitExceededError(`${brokerId}: KIS refused the token issuance [${code}] ${description}`, {
        retryAfterMs: 60_000,
        details,
      });
    }
    if (response.status >= 500 && code === undefined) {
      throw new BrokerUnavailableError(`${brokerId}: KIS token endpoint answered HTTP ${response.status}`, { details });
    }
    throw new AuthenticationError(
      `${brokerId}: KIS refused the token issuance${code === undefined ? ` (HTTP ${response.status})` : ` [${code}]`} ${description}`.trim(),
      { details },
    );
  }

  private expiryOf(body: Record<string, unknown>): number {
    const stamp = scalarText(body['access_token_token_expired'])?.trim();
    const match = stamp === undefined ? null : /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(stamp);
    if (match !== null) {
      const [, y, mo, d, h, mi, s] = match;
      const at = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}+09:00`);
      if (!Number.isNaN(at)) {
        return at;
      }
    }
    const seconds = Number(scalarText(body['expires_in']));
    return this.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 0);
  }
}
