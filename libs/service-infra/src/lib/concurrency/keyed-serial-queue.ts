interface QueuedTask {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Keyed serial execution: tasks with the same key run one after another in the order they were enqueued; tasks of
 * different keys run in parallel, at most `maxConcurrency` at a time (unbounded by default). Keys waiting for a free
 * slot are served first come, first served, and a key goes to the back of that line after each of its tasks, so
 * one busy key cannot starve the others. A key is forgotten once it has nothing running or waiting.
 *
 * The worker runs intents of one (broker, account, symbol) in arrival order with it; the gateway turns concurrent
 * duplicates of an idempotent order into "first wins, the rest replay".
 */
export class KeyedSerialQueue {
  private readonly pending = new Map<string, QueuedTask[]>();
  private readonly running = new Set<string>();
  /** Keys with pending tasks that are not running, in the order they became ready. */
  private readonly ready: string[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly maxConcurrency: number = Number.POSITIVE_INFINITY) {
    if (maxConcurrency !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(maxConcurrency) || maxConcurrency < 1)) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
  }

  enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.pending.get(key);
      const entry: QueuedTask = { run: task, resolve: resolve as (value: unknown) => void, reject };
      if (queue === undefined) {
        this.pending.set(key, [entry]);
        if (!this.running.has(key)) this.ready.push(key);
      } else {
        queue.push(entry);
      }
      this.pump();
    });
  }

  /** Keys with a task running or waiting. */
  get keyCount(): number {
    return new Set([...this.pending.keys(), ...this.running]).size;
  }

  /** Tasks enqueued and not finished yet (running or waiting). */
  get size(): number {
    let waiting = 0;
    for (const queue of this.pending.values()) waiting += queue.length;
    return waiting + this.running.size;
  }

  /** Resolves once no task is running or waiting. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.maxConcurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const queue = this.pending.get(key) as QueuedTask[];
      const task = queue.shift() as QueuedTask;
      if (queue.length === 0) this.pending.delete(key);
      this.running.add(key);
      void this.execute(key, task);
    }
  }

  private async execute(key: string, task: QueuedTask): Promise<void> {
    try {
      task.resolve(await task.run());
    } catch (error) {
      task.reject(error);
    } finally {
      this.running.delete(key);
      if (this.pending.has(key)) this.ready.push(key);
      this.pump();
      if (this.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }
}
