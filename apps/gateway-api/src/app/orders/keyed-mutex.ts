/**
 * Runs tasks with the same key one after another (FIFO), tasks with different keys concurrently. Within one
 * process this is what turns concurrent duplicates of an idempotent request into "first wins, the rest
 * replay"; across replicas the database's primary key does the same.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async runExclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      // Forget the key once nobody queued behind this task.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a running or queued task (for tests and leak checks). */
  get size(): number {
    return this.tails.size;
  }
}
