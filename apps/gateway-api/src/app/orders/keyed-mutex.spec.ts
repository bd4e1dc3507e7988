import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs tasks of one key one at a time, in arrival order, and forgets the key afterwards', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const releases: Array<() => void> = [];
    const task = (name: string) => () =>
      new Promise<string>((resolve) => {
        events.push(`start ${name}`);
        releases.push(() => {
          events.push(`end ${name}`);
          resolve(name);
        });
      });
    const results = [mutex.runExclusive('k', task('a')), mutex.runExclusive('k', task('b')), mutex.runExclusive('k', task('c'))];
    await tick();
    expect(events).toEqual(['start a']);
    releases[0]();
    await tick();
    expect(events).toEqual(['start a', 'end a', 'start b']);
    releases[1]();
    await tick();
    releases[2]();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(mutex.size).toBe(0);
  });

  it('runs different keys concurrently and releases the key when a task fails', async () => {
    const mutex = new KeyedMutex();
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
    };
    await Promise.all([mutex.runExclusive('x', task), mutex.runExclusive('y', task)]);
    expect(peak).toBe(2);

    await expect(mutex.runExclusive('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.runExclusive('x', async () => 'after')).resolves.toBe('after');
    expect(mutex.size).toBe(0);
  });
});
