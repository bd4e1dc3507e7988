import { StoredAccessToken, TokenLockTimeoutError, TokenStore } from './token-store';

/** Tokens of one process. The issuance lock is a per-key FIFO of waiters. */
export class InMemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredAccessToken>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(private readonly now: () => number = Date.now) {}

  async read(key: string): Promise<StoredAccessToken | undefined> {
    const token = this.tokens.get(key);
    if (token !== undefined && token.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return token;
  }

  async write(key: string, token: StoredAccessToken): Promise<void> {
    this.tokens.set(key, { ...token });
  }

  async withIssueLock<T>(key: string, waitMs: number, issue: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const chain = previous.then(() => mine);
    this.locks.set(key, chain);
    try {
      await waitAtMost(previous, waitMs);
      return await issue();
    } finally {
      release();
      if (this.locks.get(key) === chain) {
        this.locks.delete(key);
      }
    }
  }
}

async function waitAtMost(previous: Promise<void>, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TokenLockTimeoutError(waitMs)), waitMs);
  });
  try {
    await Promise.race([previous, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
