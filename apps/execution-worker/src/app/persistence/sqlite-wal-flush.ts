import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes the committed frames of a SQLite database in WAL mode durable (power loss included) without blocking the
 * event loop: an fdatasync of `<database>-wal` on libuv's thread pool. The connection runs with synchronous=NORMAL
 * (a COMMIT writes the WAL, it does not sync it) and its users await `flush()` after a COMMIT before they act on it:
 * together the same guarantee as synchronous=FULL, whose fsync inside COMMIT would stop the process for every commit
 * (milliseconds each on ordinary disks). Calls that overlap share flushes: a call is answered by the first flush that
 * started after it was made, so it covers every frame written before the call.
 */
export class SqliteWalFlush {
  private handle: Promise<FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once every WAL frame written before this call is on stable storage. */
  flush(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.sync().finally(() => (this.running = undefined));
      return this.running;
    }
    // A flush is running: it may have started before the frames of this call were written; the next one covers them.
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.flush();
    });
    return this.next;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }

  private async sync(): Promise<void> {
    this.handle ??= open(this.walPath, 'r+');
    try {
      await (await this.handle).datasync();
    } catch (error) {
      // Opened anew by the next flush (a WAL file that went away, a transient I/O error).
      const failed = this.handle;
      this.handle = undefined;
      void failed.then((handle) => handle.close()).catch(() => undefined);
      throw error;
    }
  }
}
