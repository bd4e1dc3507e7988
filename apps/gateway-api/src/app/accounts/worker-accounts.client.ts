import { Inject, Injectable } from '@nestjs/common';
import type { NewAccount } from '@qts/broker-accounts';
import { PLATFORM_CONFIG, type GatewayWorkerLink, type PlatformConfig } from '@qts/platform-config';
import { PLATFORM_ERROR_CODES, PlatformError } from '@qts/service-infra';

/** How long the gateway waits for the worker's answer about an account. */
export const WORKER_CALL_TIMEOUT_MS = 5_000;

/**
 * The worker did not confirm a change both services must make (unreachable, no answer in time, an error of its own,
 * or no GATEWAY_WORKER_URL): the gateway changed nothing. 503 WORKER_UNAVAILABLE.
 */
export class WorkerUnavailableError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.WORKER_UNAVAILABLE;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The worker refused the change (its own validation): its code and status, its message after ours. */
export class WorkerRefusalError extends PlatformError {
  constructor(
    readonly code: string,
    override readonly httpStatus: number,
    workerMessage: string,
  ) {
    super(`the execution worker refused the change, so nothing was changed here: ${workerMessage}`);
  }
}

/** What the worker answered to an addition: `created` is false when it already had the account active. */
export interface WorkerAddition {
  created: boolean;
}

/**
 * The execution worker's account routes (`POST /admin/accounts`, `DELETE /admin/accounts/:brokerId/:accountId`)
 * called with the worker admin key of the configuration (never logged, never in an error).
 */
@Injectable()
export class WorkerAccountsClient {
  private readonly link: GatewayWorkerLink | undefined;
  private readonly apiKey: string | undefined;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.link = config.gateway.worker;
    this.apiKey = this.link?.kind === 'http' ? (this.link.apiKey ?? config.adminApiKey) : undefined;
  }

  /** False when GATEWAY_WORKER_URL=none: no worker trades these accounts. */
  get required(): boolean {
    return this.link?.kind !== 'none';
  }

  /** Where the worker is, for the console: 'none', 'unset' or its URL. */
  describe(): string {
    if (this.link === undefined) return 'unset';
    return this.link.kind === 'none' ? 'none' : this.link.url;
  }

  async add(account: NewAccount): Promise<WorkerAddition> {
    const body = await this.call('POST', '/admin/accounts', {
      brokerId: account.brokerId,
      accountId: account.accountId,
      name: account.name,
      type: account.type,
    });
    return { created: (body as { created?: unknown } | undefined)?.created === true };
  }

  /** Resolves false when the worker does not have the account (404), true once it is deactivated there. */
  async deactivate(brokerId: string, accountId: string): Promise<boolean> {
    try {
      await this.call('DELETE', `/admin/accounts/${encodeURIComponent(brokerId)}/${encodeURIComponent(accountId)}`);
      return true;
    } catch (error) {
      if (error instanceof WorkerRefusalError && error.httpStatus === 404 && error.code === PLATFORM_ERROR_CODES.ACCOUNT_NOT_FOUND) {
        return false;
      }
      throw error;
    }
  }

  private async call(method: 'POST' | 'DELETE', path: string, body?: object): Promise<unknown> {
    const link = this.link;
    if (link === undefined) {
      throw new WorkerUnavailableError(
        'GATEWAY_WORKER_URL is not set, so the execution worker cannot be told of account changes: nothing was changed. ' +
          "Set it to the worker's HTTP address, or to 'none' when no worker trades these accounts",
      );
    }
    if (link.kind === 'none') return undefined;
    if (this.apiKey === undefined) {
      throw new WorkerUnavailableError(
        'neither GATEWAY_WORKER_API_KEY nor ADMIN_API_KEY is set, so the execution worker cannot be called: nothing was changed',
      );
    }
    let response: Response;
    try {
      response = await fetch(`${link.url}${path}`, {
        method,
        headers: { 'x-api-key': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(WORKER_CALL_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new WorkerUnavailableError(
        `the execution worker (GATEWAY_WORKER_URL) ${timedOut ? `did not answer within ${WORKER_CALL_TIMEOUT_MS} ms` : 'could not be reached'}: ` +
          'nothing was changed here; repeat the same request once it is back (a repeat is harmless)',
        { cause: error },
      );
    }
    const answer = await readJson(response);
    if (response.ok) return answer;
    const code = typeof answer?.code === 'string' ? answer.code : undefined;
    const message = typeof answer?.message === 'string' ? answer.message.slice(0, 500) : `HTTP ${response.status}`;
    if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 403 && code !== undefined) {
      throw new WorkerRefusalError(code, response.status, message);
    }
    // 401/403: the gateway's worker key is wrong (an operator's fix, not the caller's); 5xx: the worker's own failure.
    throw new WorkerUnavailableError(
      response.status === 401 || response.status === 403
        ? `the execution worker refused the gateway's key (GATEWAY_WORKER_API_KEY or ADMIN_API_KEY, HTTP ${response.status}): nothing was changed`
        : `the execution worker failed (HTTP ${response.status}${code === undefined ? '' : ` ${code}`}): nothing was changed here; repeat the same request`,
    );
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = await response.json();
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
