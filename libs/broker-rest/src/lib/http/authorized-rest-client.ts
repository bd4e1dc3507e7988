import { InvalidArgumentError, OrderExpiredError, RateLimitExceededError } from '@qts/broker-domain';
import type { RestRequestObserver } from '../health/rest-connection-health';
import type { RestCallOutcome, RestCallPermit, RestCallPermits } from '../permits/rest-call-permits';
import type { AccessTokenSource } from '../tokens/access-token-manager';
import type { RestBrokerClient, RestCall } from './rest-call';
import type { RestResponse } from './rest-response';
import { isRestTransportError } from './rest-transport-error';
import { abortReason, FetchFunction, sendJsonRequest } from './send-json-request';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_PERMIT_TIMEOUT_MS = 10_000;

export interface AuthorizedRestClientOptions {
  brokerId: string;
  /** e.g. https://openapivts.koreainvestment.com:29443, or the simulator's URL. */
  baseUrl: string;
  permits: RestCallPermits;
  tokens: AccessTokenSource;
  /** Deadline of one request; default 5 s. */
  requestTimeoutMs?: number;
  /** How long a request may wait for its rate-limit permit; default 10 s. */
  permitTimeoutMs?: number;
  /** Default: Node's global fetch. */
  fetch?: FetchFunction;
  /** Told how each request ended (the connection's health). */
  observer?: RestRequestObserver;
}

/**
 * What KIS and Kiwoom share on the wire: every request takes a rate-limit permit right before it leaves and
 * gives it back when the answer (or the failure) arrives; the access token is added to it; an answer that
 * says the token expired is answered by replacing the token and sending the same request ONCE more (the
 * broker refused the first one before processing it, so this never duplicates an order). Credentials and
 * tokens only ever go into headers and bodies, never into errors or logs.
 */
export abstract class AuthorizedRestClient implements RestBrokerClient {
  readonly brokerId: string;
  readonly baseUrl: string;
  private readonly permits: RestCallPermits;
  private readonly tokens: AccessTokenSource;
  private readonly requestTimeoutMs: number;
  private readonly permitTimeoutMs: number;
  private readonly fetchFn: FetchFunction;
  private readonly observer: RestRequestObserver | undefined;

  protected constructor(options: AuthorizedRestClientOptions) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\/[^/]+/i.test(options.baseUrl)) {
      throw new InvalidArgumentError('baseUrl must be an http(s) URL', { field: 'baseUrl' });
    }
    this.brokerId = options.brokerId;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.permits = options.permits;
    this.tokens = options.tokens;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.permitTimeoutMs = options.permitTimeoutMs ?? DEFAULT_PERMIT_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.observer = options.observer;
  }

  async send(call: RestCall): Promise<RestResponse> {
    this.checkCall(call);
    let response: RestResponse;
    try {
      response = await this.sendAuthorized(call);
    } catch (error) {
      this.observer?.failed(error);
      throw error;
    }
    this.observer?.answered();
    return response;
  }

  private async sendAuthorized(call: RestCall): Promise<RestResponse> {
    const token = await this.tokens.currentToken();
    const first = await this.sendOnce(call, token);
    if (!this.isTokenRejection(first)) {
      return first;
    }
    const replacement = await this.tokens.replaceRejected(token);
    return this.sendOnce(call, replacement);
  }

  /** Headers of the request, credentials included. */
  protected abstract headersFor(call: RestCall, token: string): Record<string, string>;

  /** Whether the answer says the access token expired or is not valid (and a new one may fix it). */
  protected abstract isTokenRejection(response: RestResponse): boolean;

  /** Refuses a call this client must not send (e.g. a real-server tr_id on the paper server). */
  protected checkCall(_call: RestCall): void {
    // Default: every call may be sent.
  }

  private async sendOnce(call: RestCall, token: string): Promise<RestResponse> {
    const permit = await this.takePermit(call);
    let response: RestResponse;
    try {
      const query = call.method === 'GET' ? `?${new URLSearchParams(call.payload).toString()}` : '';
      response = await sendJsonRequest(this.fetchFn, {
        method: call.method,
        url: `${this.baseUrl}${call.path}${query}`,
        headers: this.headersFor(call, token),
        ...(call.method === 'POST' ? { body: call.payload } : {}),
        timeoutMs: this.requestTimeoutMs,
        ...(call.signal === undefined ? {} : { signal: call.signal }),
      });
    } catch (error) {
      permit.complete(outcomeOfFailure(error));
      throw error;
    }
    permit.complete('answered');
    return response;
  }

  private async takePermit(call: RestCall): Promise<RestCallPermit> {
    const remainingMs = call.sendBy === undefined ? Number.POSITIVE_INFINITY : call.sendBy.getTime() - Date.now();
    if (remainingMs <= 0) throw this.expired(call);
    const cutBySendBy = remainingMs < this.permitTimeoutMs;
    call.onStage?.('awaiting-permit');
    const permit = await this.permits.acquire(call.operation, {
      timeoutMs: cutBySendBy ? remainingMs : this.permitTimeoutMs,
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    });
    if (permit !== undefined) {
      if (call.sendBy !== undefined && Date.now() >= call.sendBy.getTime()) {
        permit.complete('unsent');
        throw this.expired(call);
      }
      call.onStage?.('sending');
      return permit;
    }
    if (call.signal?.aborted === true) {
      throw abortReason(call.signal);
    }
    if (cutBySendBy) throw this.expired(call);
    throw new RateLimitExceededError(
      `No rate-limit permit for ${call.operation} on broker '${this.brokerId}' within ${this.permitTimeoutMs} ms (not sent)`,
      {
        retryAfterMs: (await this.permits.estimateWaitMs?.(call.operation)) ?? 1_000,
        details: { brokerId: this.brokerId, operation: call.operation, source: 'client' },
      },
    );
  }

  /** The call's send-by time passed before it could leave: nothing was sent. */
  private expired(call: RestCall): OrderExpiredError {
    const sendBy = call.sendBy?.toISOString();
    return new OrderExpiredError(`${call.operation} on broker '${this.brokerId}' was not sent: its send-by time ${sendBy} passed first`, {
      details: { brokerId: this.brokerId, operation: call.operation, sendBy },
    });
  }
}

/**
 * How a failed request ended for the limiter: a connection never made sent nothing; anything else (deadline,
 * connection lost, the caller's abort) may have left, and may still arrive at the broker.
 */
function outcomeOfFailure(error: unknown): RestCallOutcome {
  return isRestTransportError(error) && !error.mayHaveReachedBroker ? 'unsent' : 'abandoned';
}
