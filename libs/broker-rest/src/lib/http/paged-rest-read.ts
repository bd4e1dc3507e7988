import { BrokerUnavailableError } from '@qts/broker-domain';
import type { RestCall } from './rest-call';
import { readRest, RestReadAnswer } from './rest-read';
import type { RestResponse } from './rest-response';

/** One page of a paged inquiry: its rows and whether (and how) the broker continues. */
export interface RestPage<TRow, TContinuation extends { more: boolean }> {
  rows: TRow[];
  continuation: TContinuation;
}

export interface RestPagesRequest<TRow, TContinuation extends { more: boolean }> {
  brokerId: string;
  /** 'KIS' or 'Kiwoom', as errors name the broker. */
  brokerName: string;
  /** What the inquiry is, in errors ("order inquiry"). */
  what: string;
  /** Bound on the pages; more fails rather than answering partly. */
  maxPages: number;
  first: RestCall;
  send: (call: RestCall) => Promise<RestResponse>;
  parse: (response: RestResponse) => RestReadAnswer<RestPage<TRow, TContinuation>>;
  /** The call of the page after one that said more follow. */
  nextCall: (call: RestCall, continuation: TContinuation) => RestCall;
}

/**
 * The rows of every page of an inquiry, read one page after another through readRest. A broker that still
 * says more follow after maxPages pages gets BrokerUnavailableError: a partial list would look complete.
 */
export async function readRestPages<TRow, TContinuation extends { more: boolean }>(
  request: RestPagesRequest<TRow, TContinuation>,
): Promise<TRow[]> {
  const { brokerId, what, maxPages } = request;
  const rows: TRow[] = [];
  let call = request.first;
  for (let page = 1; ; page++) {
    const current = call;
    const result = await readRest(brokerId, what, () => request.send(current), request.parse);
    rows.push(...result.rows);
    if (!result.continuation.more) {
      return rows;
    }
    if (page >= maxPages) {
      throw new BrokerUnavailableError(
        `${brokerId}: the ${request.brokerName} ${what} has more than ${maxPages} pages; not read partly`,
        { details: { brokerId } },
      );
    }
    call = request.nextCall(call, result.continuation);
  }
}
