import { readFailure, unreadableReadFailure } from './rest-call-failures';
import { RestResponse } from './rest-response';

/** The parse of an inquiry answer. */
export type RestReadAnswer<T> =
  { kind: 'ok'; value: T } | { kind: 'refused'; error: Error } | { kind: 'unreadable'; reason: string };

/** Sends one inquiry and returns its parsed value, or throws the domain error of the failure. */
export async function readRest<T>(
  brokerId: string,
  what: string,
  send: () => Promise<RestResponse>,
  parse: (response: RestResponse) => RestReadAnswer<T>,
): Promise<T> {
  let response: RestResponse;
  try {
    response = await send();
  } catch (error) {
    throw readFailure(error, brokerId, what);
  }
  const answer = parse(response);
  if (answer.kind === 'ok') {
    return answer.value;
  }
  if (answer.kind === 'refused') {
    throw answer.error;
  }
  throw response.status >= 200 && response.status <= 299
    ? readFailure(new Error(`unreadable answer (${answer.reason})`), brokerId, what)
    : unreadableReadFailure(response.status, brokerId, what);
}
