import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const READY_TIMEOUT_MS = 90_000;

/** A process the benchmarks started: its ready line, CPU and memory readings, and a clean stop. */
export interface BenchProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The line that said it was ready. */
  readonly readyLine: string;
  /** User + system CPU time so far, in milliseconds (Linux /proc; NaN elsewhere). */
  cpuMillis(): number;
  /** Resident set size now, in bytes (Linux /proc; NaN elsewhere). */
  rssBytes(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` in the repository and resolves once a line of its stdout starts with `readyPrefix`. After that
 * its output is read and dropped, as a container runtime collects it (a full pipe would block its logging).
 */
export function startBenchProcess(args: string[], env: Record<string, string>, readyPrefix: string): Promise<BenchProcess> {
  const child = spawn(process.execPath, args, {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env['PATH'], TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_096)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const fail = (why: string): void => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')}: ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail('not ready in time'), READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? code}`));
    lines.on('line', (line) => {
      if (!line.startsWith(readyPrefix)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      lines.close();
      child.stdout?.resume();
      resolve(benchProcess(child, line));
    });
  });
}

function benchProcess(child: ChildProcess, readyLine: string): BenchProcess {
  const pid = child.pid as number;
  return {
    child,
    pid,
    readyLine,
    cpuMillis: () => cpuMillisOf(pid),
    rssBytes: () => rssBytesOf(pid),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** User + system CPU time of a process so far, in milliseconds (Linux; NaN where /proc is missing). */
export function cpuMillisOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process now, in bytes (Linux; NaN where /proc is missing). */
export function rssBytesOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? Number.NaN : Number(match[1]) * 1_024;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; reports the highest. */
export class PeakRssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 20,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Stops sampling; the highest RSS seen, in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const rss = rssBytesOf(this.pid);
    if (rss > this.peak) this.peak = rss;
  }
}
