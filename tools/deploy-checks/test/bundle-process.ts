import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ImageUser } from '../src/lib/dockerfile-contract';

const OUTPUT_TAIL_CHARS = 16_384;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever is still running when the test process exits (a failed test, a timeout) is killed. */
function killOnExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const leftover of running) leftover.kill('SIGKILL');
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the program was still running after the grace period and had to be killed. */
  killed: boolean;
}

/** A program of an image, started as the image's ENTRYPOINT starts it: `node main.js <args>` in /app. */
export class BundleProcess {
  private output = '';
  private readonly lines: ((line: string) => void)[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (child.stdout)
      createInterface({ input: child.stdout }).on('line', (line) =>
        this.lines.forEach((listener) => listener(line)),
      );
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts `node main.js` in `directory` with exactly `environment` (nothing inherited from the test process but
   * what it lists), as `user` when the tests run as root (as the image's USER would).
   */
  static start(
    name: string,
    directory: string,
    args: readonly string[],
    environment: Record<string, string>,
    user?: ImageUser,
  ): BundleProcess {
    const asUser = user !== undefined && process.getuid?.() === 0 ? { uid: user.uid, gid: user.gid } : {};
    const child = spawn(process.execPath, ['main.js', ...args], {
      cwd: directory,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asUser,
    });
    killOnExit(child);
    return new BundleProcess(name, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last output of the program (stdout and stderr), for failure messages. */
  logs(): string {
    return this.output;
  }

  /** Resolves with the first stdout line starting with `prefix`; rejects when the program exits first. */
  waitForLine(prefix: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`${this.name}: no line starting with ${prefix} within ${timeoutMs} ms\n${this.output}`),
          ),
        timeoutMs,
      );
      this.lines.push((line) => {
        if (line.startsWith(prefix)) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${this.name} exited (${signal ?? `code ${code}`}) before printing ${prefix}\n${this.output}`,
          ),
        );
      });
    });
  }

  /**
   * SIGTERM, as the kubelet sends it after preStop, then up to `graceMs` for the program to end by itself before
   * SIGKILL (the kubelet's terminationGracePeriodSeconds).
   */
  async stop(graceMs: number): Promise<ProgramExit> {
    if (!this.running) return { ...(await this.exited), killed: false };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => {
      timer = setTimeout(() => resolve('grace over'), graceMs);
    });
    const first = await Promise.race([this.exited, graceOver]);
    clearTimeout(timer);
    if (first !== 'grace over') return { ...first, killed: false };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), killed: true };
  }
}
