/** A task's final state as Nx reports it to plugins after a run. */
export type NxTaskStatus =
  | 'success'
  | 'failure'
  | 'skipped'
  | 'stopped'
  | 'local-cache-kept-existing'
  | 'local-cache'
  | 'remote-cache';

export interface TaskResultEntry {
  project: string;
  target: string;
  configuration?: string;
  status: NxTaskStatus;
  /** The task's exit code (0 for a cache hit of a success). */
  code: number;
}

/** What the task-results plugin writes after an Nx run (one file; the outermost run writes it last). */
export interface TaskResultsFile {
  argv: string[];
  /** Epoch ms. */
  startTime: number;
  endTime: number;
  tasks: Record<string, TaskResultEntry>;
}
