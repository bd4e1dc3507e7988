import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// Whatever a test started is cleaned up when the test process exits, even when the test failed before
// its afterAll: child processes are SIGKILLed, temporary folders removed. 'exit' handlers must be
// synchronous, which kill() and rmSync are.

const children = new Set<ChildProcess>();
const paths = new Set<string>();
let registered = false;

function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
  children.clear();
  for (const target of paths) {
    rmSync(target, { recursive: true, force: true });
  }
  paths.clear();
}

function register(): void {
  if (!registered) {
    registered = true;
    process.once('exit', cleanUp);
  }
}

/** SIGKILLs the child when the test process exits, unless it is gone by then. */
export function killOnExit(child: ChildProcess): void {
  register();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function removeOnExit(target: string): void {
  register();
  paths.add(target);
}
