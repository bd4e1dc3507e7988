import { BrokerUnavailableError } from '@qts/broker-domain';
import { ScriptedRestClient } from '../../../test/scripted-rest-client';
import { readRestPages } from './paged-rest-read';
import type { RestCall } from './rest-call';
import type { RestResponse } from './rest-response';

const FIRST: RestCall = { operation: 'getOrderStatus', method: 'GET', path: '/orders', apiId: 'Q1', payload: { day: '20261130' } };

const page = (rows: string[], next?: string) => ({ status: 200, body: { rows, next } });

function aRequest(client: ScriptedRestClient, maxPages = 5) {
  return {
    brokerId: 'acme-1',
    brokerName: 'Acme',
    what: 'order inquiry',
    maxPages,
    first: FIRST,
    send: (call: RestCall) => client.send(call),
    parse: (response: RestResponse) => {
      const body = response.body as { rows?: string[]; next?: string };
      return body.rows === undefined
        ? { kind: 'unreadable' as const, reason: 'rows missing' }
        : { kind: 'ok' as const, value: { rows: body.rows, continuation: { more: body.next !== undefined, key: body.next ?? '' } } };
    },
    nextCall: (call: RestCall, continuation: { more: boolean; key: string }) => ({ ...call, continuation: { 'next-key': continuation.key } }),
  };
}

describe('readRestPages', () => {
  it('reads every page the broker continues, each with the continuation of the page before', async () => {
    const client = new ScriptedRestClient().answer(page(['a', 'b'], 'k2'), page(['c'], 'k3'), page([]));

    await expect(readRestPages(aRequest(client))).resolves.toEqual(['a', 'b', 'c']);
    expect(client.calls.map((call) => call.continuation)).toEqual([undefined, { 'next-key': 'k2' }, { 'next-key': 'k3' }]);
  });

  it('fails rather than answering partly when the broker continues past maxPages', async () => {
    const client = new ScriptedRestClient().answer(page(['a'], 'k2'), page(['b'], 'k3'));

    const error = await readRestPages(aRequest(client, 2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toBe('acme-1: the Acme order inquiry has more than 2 pages; not read partly');
    expect(client.calls).toHaveLength(2);
  });

  it('fails the whole inquiry on an unreadable page', async () => {
    const client = new ScriptedRestClient().answer(page(['a'], 'k2'), { status: 200, body: {} });

    await expect(readRestPages(aRequest(client))).rejects.toThrow('rows missing');
  });
});
