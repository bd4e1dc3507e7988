import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RateLimitBackendSettings } from '@qts/rate-limit';
import { maxInAnyWindow } from './rate-limit.bench';

export interface MultiReplicaRun {
  /** Grants per second of all processes together, over whole windows from the first grant. */
  perSecond: number;
  /** perSecond as a share of limit per window. */
  utilisation: number;
  /** Most grants in any window (never above the limit). */
  maxInWindow: number;
  /** Grants per process, to show nobody starved. */
  perProcess: number[];
}

/**
 * `processes` separate Node processes, each with its own limiter on one shared ledger, all demanding far
 * more than the rule allows: how much of the broker's budget they use together, and whether any window
 * ever holds more than the limit.
 */
export async function runReplicas(
  settings: RateLimitBackendSettings,
  options: { processes: number; limit: number; windowMs: number; durationMs: number; roundTripMs: number },
): Promise<MultiReplicaRun> {
  const script = join(__dirname, 'replica-load.ts');
  // Start them together, a few seconds from now (a fresh Redis ledger fences grants for one owner TTL).
  const startAt = Date.now() + 8_000;
  const runs = await Promise.all(
    Array.from(
      { length: options.processes },
      () =>
        new Promise<number[]>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '-r',
              '@swc-node/register',
              script,
              JSON.stringify(settings),
              String(options.limit),
              String(options.windowMs),
              String(options.durationMs),
              String(options.roundTripMs),
            ],
            {
              env: {
                ...process.env,
                SWC_NODE_PROJECT: 'tsconfig.base.json',
                BENCH_START_AT: String(startAt),
              },
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          let output = '';
          child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
          child.once('exit', (code) =>
            code === 0
              ? resolve(
                  (JSON.parse(output.trim().split('\n').pop() as string) as { grants: number[] }).grants,
                )
              : reject(new Error(`replica exited ${code}`)),
          );
        }),
    ),
  );
  const all = runs.flat().sort((a, b) => a - b);
  // Whole windows from the first grant, the last (partial) one left out: grants come in bursts as slots
  // free, so only whole windows measure the rate.
  const from = all[0] as number;
  const windows = Math.floor(((all[all.length - 1] as number) - from) / options.windowMs) - 1;
  const inside = all.filter((at) => at >= from && at < from + windows * options.windowMs);
  const perSecond = inside.length / ((windows * options.windowMs) / 1_000);
  return {
    perSecond,
    utilisation: perSecond / ((options.limit * 1_000) / options.windowMs),
    maxInWindow: maxInAnyWindow(all, options.windowMs),
    perProcess: runs.map((grants) => grants.length),
  };
}
