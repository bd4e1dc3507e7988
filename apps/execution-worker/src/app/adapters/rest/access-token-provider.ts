import { AuthenticationError, isBrokerError } from '@qts/broker-domain';

/**
 * Supplies the broker access token for each request (issuing and caching tokens is the auth component's
 * job; KIS allows one reissue a minute). The token is a secret: never log it or put it in an error.
 */
export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
}

/** The current token, or AuthenticationError (nothing is sent without one). */
export async function requireAccessToken(provider: AccessTokenProvider, brokerName: string): Promise<string> {
  let token: string;
  try {
    token = await provider.getAccessToken();
  } catch (error) {
    if (isBrokerError(error)) {
      throw error;
    }
    throw new AuthenticationError(`could not obtain a ${brokerName} access token`, { cause: error });
  }
  if (typeof token !== 'string' || token === '') {
    throw new AuthenticationError(`the ${brokerName} token provider returned no token`);
  }
  return token;
}
