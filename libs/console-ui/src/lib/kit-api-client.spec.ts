import { ApiError, callApi, createKeyStore } from '../../assets/api-client.js';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
    values,
  };
}

describe('console kit: API client', () => {
  it('keeps the key for the tab, and survives a storage that refuses', () => {
    const storage = memoryStorage();
    const keys = createKeyStore(storage);
    expect(keys.get()).toBeUndefined();
    keys.set('qts_key');
    expect(keys.get()).toBe('qts_key');
    keys.clear();
    expect(storage.values.size).toBe(0);

    const refusing = createKeyStore({
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    });
    expect(() => refusing.set('k')).not.toThrow();
    expect(refusing.get()).toBeUndefined();
    expect(() => refusing.clear()).not.toThrow();
  });

  it('sends the key in X-API-Key (never in the URL) and JSON bodies; answers the parsed body', async () => {
    const fetchImpl = jest.fn(async () => new Response('{"id":"1"}', { status: 201 }));
    const answer = await callApi('/api/v1/brokers/kis/accounts', { key: 'qts_secret', method: 'POST', body: { a: 1 }, fetchImpl });
    expect(answer).toEqual({ id: '1' });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/brokers/kis/accounts');
    expect(url).not.toContain('qts_secret');
    expect(init.headers).toMatchObject({ 'x-api-key': 'qts_secret', 'content-type': 'application/json' });
    expect(init.body).toBe('{"a":1}');
    expect(await callApi('/empty', { fetchImpl: async () => new Response('', { status: 200 }) })).toBeUndefined();
  });

  it('turns error answers and network failures into ApiError with the stable code', async () => {
    const refused = await callApi('/x', { fetchImpl: async () => new Response('{"code":"ACCOUNT_CONFLICT","message":"configured in YAML"}', { status: 409 }) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 409, code: 'ACCOUNT_CONFLICT', message: 'configured in YAML' });
    expect(await callApi('/x', { fetchImpl: async () => new Response('<html>', { status: 502 }) }).catch((error: unknown) => error)).toMatchObject({
      status: 502,
      code: 'HTTP_502',
    });
    expect(
      await callApi('/x', {
        fetchImpl: async () => {
          throw new Error('offline');
        },
      }).catch((error: unknown) => error),
    ).toMatchObject({ status: 0, code: 'NETWORK' });
  });
});
