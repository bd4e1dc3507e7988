import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RateLimitBackend } from './rate-limit-backend';

const KIS_PAPER = { name: 'kis', rules: [{ id: 'requests', limit: 2, windowMs: 1000 }] };

describe('RateLimitBackend', () => {
  it('memory: the whole budget in this process', async () => {
    const backend = new RateLimitBackend({ mode: 'memory' });
    const limiter = backend.createLimiter(KIS_PAPER);
    expect(limiter.rules[0].limit).toBe(2);
    expect(limiter.health()).toMatchObject({ backend: 'memory', healthy: true });
    expect(backend.description).toContain('this process alone');
    await backend.close();
    await expect(limiter.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
  });

  it("split: this process's share of the broker's (platform) share, and a description that warns", async () => {
    const backend = new RateLimitBackend({ mode: 'split', share: 0.5 });
    const limiter = backend.createLimiter({
      name: 'kis',
      rules: [{ id: 'requests', limit: 20, windowMs: 1000 }],
      share: 0.5,
    });
    expect(limiter.rules[0].limit).toBe(5);
    expect(limiter.usage().backend).toBe('split');
    expect(backend.description).toMatch(/50 %.*at most 100 %.*unused/);
    await backend.close();
    expect(() => new RateLimitBackend({ mode: 'split', share: 0 })).toThrow('share must be in (0, 1]');
  });

  it('local: limiters of two backends on one file share one budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backend-'));
    const path = join(dir, 'rate-limit.sqlite');
    const gateway = new RateLimitBackend({ mode: 'local', ledgerPath: path });
    const worker = new RateLimitBackend({ mode: 'local', ledgerPath: path });
    try {
      const a = gateway.createLimiter(KIS_PAPER);
      const b = worker.createLimiter(KIS_PAPER);
      await expect(a.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(a.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(b.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
      expect(b.health()).toMatchObject({ backend: 'local', healthy: true });
      expect(gateway.description).toContain(path);
    } finally {
      await gateway.close();
      await worker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('redis: never shows the password of its URL, and fails closed while Redis cannot be reached', async () => {
    const logs: string[] = [];
    const backend = new RateLimitBackend(
      { mode: 'redis', redisUrl: 'redis://trader:hunter2@127.0.0.1:1', redisKeyPrefix: 'desk-a:rl' },
      { log: (level, message) => logs.push(`${level} ${message}`) },
    );
    const limiter = backend.createLimiter(KIS_PAPER);
    try {
      expect(backend.description).toBe(
        'redis: one budget per broker for every process and replica, kept in redis 127.0.0.1:1 (keys desk-a:rl:*)',
      );
      await expect(limiter.acquire('getQuote', { timeoutMs: 300 })).resolves.toBe(false);
      expect(limiter.health()).toMatchObject({ backend: 'redis', healthy: false });
      expect(limiter.health().detail).not.toContain('hunter2');
      expect(logs.join('\n')).not.toContain('hunter2');
    } finally {
      await backend.close();
    }
  });

  it('refuses an unknown mode and shared modes without their ledger', () => {
    expect(() => new RateLimitBackend({ mode: 'cluster' as never })).toThrow(
      'must be one of memory, local, redis, split',
    );
    expect(() => new RateLimitBackend({ mode: 'local' })).toThrow('needs a ledger path');
    expect(() => new RateLimitBackend({ mode: 'redis' })).toThrow('needs a Redis URL');
  });
});
