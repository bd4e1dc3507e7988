import type { RestBrokerClient, RestCall } from '../src/lib/http/rest-call';
import type { RestResponse } from '../src/lib/http/rest-response';

/** One request a ScriptedRestClient received. */
export interface RecordedRestCall {
  operation: RestCall['operation'];
  method: RestCall['method'];
  path: string;
  /** tr_id (KIS) or api-id (Kiwoom). */
  apiId: string;
  /** Body (POST) or query (GET). */
  payload: Readonly<Record<string, string>>;
  continuation?: Readonly<Record<string, string>>;
  /** The order's send-by time, when it has one. */
  sendBy?: Date;
}

type ScriptedAnswer =
  RestResponse | Error | ((call: RecordedRestCall) => RestResponse | Promise<RestResponse>);

/**
 * TEST-ONLY fake of RestBrokerClient: records every call and answers from a script (a response, an Error to
 * throw, or a function of the call). No network. An unscripted call fails the test loudly instead of
 * inventing an answer.
 */
export class ScriptedRestClient implements RestBrokerClient {
  readonly calls: RecordedRestCall[] = [];
  private readonly script: ScriptedAnswer[] = [];

  answer(...answers: ScriptedAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** Shorthand: a JSON body with HTTP 200 (or the given status) and optional response headers. */
  answerJson(body: unknown, status = 200, headers?: Record<string, string>): this {
    return this.answer({ status, body, ...(headers === undefined ? {} : { headers }) });
  }

  async send(call: RestCall): Promise<RestResponse> {
    const recorded: RecordedRestCall = {
      operation: call.operation,
      method: call.method,
      path: call.path,
      apiId: call.apiId,
      payload: { ...call.payload },
      ...(call.continuation === undefined ? {} : { continuation: { ...call.continuation } }),
      ...(call.sendBy === undefined ? {} : { sendBy: call.sendBy }),
    };
    this.calls.push(recorded);
    const next = this.script.shift();
    if (next === undefined) {
      throw new Error(`unscripted ${call.method} ${call.path} (${call.apiId})`);
    }
    if (next instanceof Error) {
      throw next;
    }
    return typeof next === 'function' ? next(recorded) : next;
  }
}
