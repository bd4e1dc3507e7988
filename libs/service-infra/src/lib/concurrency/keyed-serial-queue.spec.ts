import fc from 'fast-check';
import { KeyedSerialQueue } from './keyed-serial-queue';

/** A task the test finishes by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('KeyedSerialQueue', () => {
  it('runs the tasks of one key strictly in arrival order, one at a time', async () => {
    const queue = new KeyedSerialQueue(4);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, i) =>
      queue.enqueue('kis|acc|005930', async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );

    await flush();
    expect(started).toEqual([0]);
    gates[2].open();
    gates[1].open();
    await flush();
    expect(started).toEqual([0]);
    gates[0].open();

    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2]);
    expect(started).toEqual([0, 1, 2]);
  });

  it('runs different keys in parallel, never more than maxConcurrency at once', async () => {
    const queue = new KeyedSerialQueue(2);
    const gates = new Map(['a', 'b', 'c'].map((key) => [key, gate()]));
    const started: string[] = [];
    const done = ['a', 'b', 'c'].map((key) =>
      queue.enqueue(key, async () => {
        started.push(key);
        await gates.get(key)?.promise;
      }),
    );

    await flush();
    expect(started).toEqual(['a', 'b']);
    expect(queue.size).toBe(3);
    gates.get('b')?.open();
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.get('a')?.open();
    gates.get('c')?.open();
    await Promise.all(done);
    expect(queue.size).toBe(0);
  });

  it('hands a failure to its caller and goes on with the next task of the key', async () => {
    const queue = new KeyedSerialQueue(1);
    const failed = queue.enqueue('k', async () => {
      throw new Error('broker exploded');
    });
    const next = queue.enqueue('k', async () => 'next');

    await expect(failed).rejects.toThrow('broker exploded');
    await expect(next).resolves.toBe('next');
  });

  it('does not let one busy key starve another', async () => {
    const queue = new KeyedSerialQueue(1);
    const order: string[] = [];
    const all = [
      queue.enqueue('busy', async () => void order.push('busy-1')),
      queue.enqueue('busy', async () => void order.push('busy-2')),
      queue.enqueue('busy', async () => void order.push('busy-3')),
      queue.enqueue('other', async () => void order.push('other-1')),
    ];
    await Promise.all(all);

    expect(order).toEqual(['busy-1', 'other-1', 'busy-2', 'busy-3']);
  });

  it('tells when it is idle', async () => {
    const queue = new KeyedSerialQueue(2);
    await expect(queue.onIdle()).resolves.toBeUndefined();
    const g = gate();
    void queue.enqueue('k', () => g.promise);
    let idle = false;
    void queue.onIdle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    g.open();
    await flush();
    expect(idle).toBe(true);
  });

  it('runs every key at once when unbounded, releases a key whose task failed, and forgets idle keys', async () => {
    const queue = new KeyedSerialQueue();
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    };
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => queue.enqueue(key, task)));
    expect(peak).toBe(5);

    await expect(queue.enqueue('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.enqueue('x', async () => 'after')).resolves.toBe('after');
    expect(queue.keyCount).toBe(0);
    expect(queue.size).toBe(0);
  });

  it('counts a key once while its tasks run or wait', async () => {
    const queue = new KeyedSerialQueue();
    const first = gate();
    const done = [queue.enqueue('k', () => first.promise), queue.enqueue('k', async () => undefined)];
    await flush();
    expect(queue.keyCount).toBe(1);
    expect(queue.size).toBe(2);
    first.open();
    await Promise.all(done);
    expect(queue.keyCount).toBe(0);
  });

  it('refuses a concurrency below one', () => {
    expect(() => new KeyedSerialQueue(0)).toThrow(RangeError);
  });

  it('property: per key, completion order equals enqueue order and concurrency never exceeds the bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(3)), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        async (tasks, limit) => {
          const queue = new KeyedSerialQueue(limit);
          const finished = new Map<string, number[]>();
          let active = 0;
          let peak = 0;
          await Promise.all(
            tasks.map(([key, ticks], index) =>
              queue.enqueue(key, async () => {
                active += 1;
                peak = Math.max(peak, active);
                for (let i = 0; i < ticks; i += 1) await Promise.resolve();
                finished.set(key, [...(finished.get(key) ?? []), index]);
                active -= 1;
              }),
            ),
          );
          expect(peak).toBeLessThanOrEqual(limit);
          for (const [key, indexes] of finished) {
            const expected = tasks.map(([k], i) => [k, i] as const).filter(([k]) => k === key).map(([, i]) => i);
            expect(indexes).toEqual(expected);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
