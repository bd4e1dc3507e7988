import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;

    await expect(waitFor(() => (++calls >= 3 ? { calls } : null), { intervalMs: 1 })).resolves.toEqual({ calls: 3 });
  });

  it('treats a throwing or rejecting predicate as not yet', async () => {
    let calls = 0;

    const value = await waitFor(
      async () => {
        calls += 1;
        if (calls < 3) {
          throw new Error('not ready');
        }
        return 'ready';
      },
      { intervalMs: 1 },
    );

    expect(value).toBe('ready');
  });

  it('gives up after the timeout naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'broker kis up' },
      ),
    ).rejects.toThrow('waitFor: broker kis up not met within 30 ms (last error: connection refused)');
    await expect(waitFor(() => 0, { timeoutMs: 10, intervalMs: 2 })).rejects.toThrow('condition not met within 10 ms (last value: 0)');
  });
});
