import { RestResponse } from '../rest/rest-response';

/** One request a ScriptedRestClient received. */
export interface RecordedRestCall {
  method: 'GET' | 'POST';
  path: string;
  /** tr_id (KIS) or api-id (Kiwoom). */
  id: string;
  /** Body (POST) or query (GET). */
  payload: Readonly<Record<string, string>>;
}

type ScriptedAnswer =
  RestResponse | Error | ((call: RecordedRestCall) => RestResponse | Promise<RestResponse>);

/**
 * TEST-ONLY fake of KisOrderClient and KiwoomOrderClient: records every call and answers from a script
 * (a response, an Error to throw, or a function of the call). No network. An unscripted call fails the
 * test loudly instead of inventing an answer.
 */
export class ScriptedRestClient {
  readonly calls: RecordedRestCall[] = [];
  private readonly script: ScriptedAnswer[] = [];

  answer(...answers: ScriptedAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** Shorthand: a JSON body with HTTP 200 (or the given status). */
  answerJson(body: unknown, status = 200): this {
    return this.answer({ status, body });
  }

  post(path: string, id: string, body: Readonly<Record<string, string>>): Promise<RestResponse> {
    return this.respond({ method: 'POST', path, id, payload: { ...body } });
  }

  get(path: string, id: string, query: Readonly<Record<string, string>>): Promise<RestResponse> {
    return this.respond({ method: 'GET', path, id, payload: { ...query } });
  }

  private async respond(call: RecordedRestCall): Promise<RestResponse> {
    this.calls.push(call);
    const next = this.script.shift();
    if (next === undefined) {
      throw new Error(`unscripted ${call.method} ${call.path} (${call.id})`);
    }
    if (next instanceof Error) {
      throw next;
    }
    return typeof next === 'function' ? next(call) : next;
  }
}
