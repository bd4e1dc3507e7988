import type { ExpectedTask } from './expected-tasks';
import type { NxTaskStatus, TaskResultsFile } from './task-results';

/** The fields of a `jest --json` report that the totals use. */
export interface JestReportSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests?: number;
  numTodoTests?: number;
  /** Suites that could not run at all (a compile error, a crash while loading). */
  numRuntimeErrorTestSuites?: number;
  /** False also when every test passed but jest failed the run: a coverage threshold, a reporter error. */
  success: boolean;
  /** Epoch ms at which jest started. */
  startTime?: number;
}

/** A report file as read: its summary, or why it could not be used. */
export type JestReportRead = { summary: JestReportSummary } | { problem: string };

/** Everything one CI run left behind. */
export interface CiRunRecord {
  /** The tasks of the test command (from its task graph); undefined when the graph could not be computed. */
  expectedTasks: ExpectedTask[] | undefined;
  /** Why expectedTasks is undefined. */
  graphProblem?: string;
  /** Nx's final status of each task; undefined when Nx wrote none (it crashed or was killed). */
  taskResults: TaskResultsFile | undefined;
  /** Why taskResults is undefined. */
  resultsProblem?: string;
  /** Every jest report found, by the path tasks name it with (workspace-relative). */
  reports: ReadonlyMap<string, JestReportRead>;
  /** The test command's exit code. */
  exitCode: number;
  /** Anything else that went wrong before or around the run (an input that could not be read ...): one failure each. */
  problems?: string[];
}

export interface CiTotals {
  /** Tests that passed, plus tasks without jest reports (lint, type checks, builds, codegen) that succeeded. */
  passed: number;
  /** Tests that failed, suites that could not run, tasks that failed or never ran, missing reports, problems. */
  failed: number;
  /** Skipped and todo tests (reported, not counted as passed). */
  skipped: number;
  /** One line per task and per problem, for the log. */
  lines: string[];
  /** What failed, one entry per failure source. */
  failures: string[];
}

const SUCCESSFUL: ReadonlySet<NxTaskStatus> = new Set(['success', 'local-cache', 'local-cache-kept-existing', 'remote-cache']);

/**
 * Counts a CI run honestly: every test jest ran, every task Nx ran or should have run, every report that should
 * exist. A task that failed without a failing test to show for it (a lint error, a coverage threshold, a crash
 * before the report was written) still counts as a failure, and a run that exited non-zero never totals 0 failed.
 */
export function computeCiTotals(run: CiRunRecord): CiTotals {
  const totals: CiTotals = { passed: 0, failed: 0, skipped: 0, lines: [], failures: [] };
  const fail = (count: number, what: string): void => {
    totals.failed += count;
    totals.failures.push(count === 1 ? what : `${what} (${count})`);
  };

  for (const problem of run.problems ?? []) fail(1, problem);
  if (run.expectedTasks === undefined) {
    fail(1, `no task graph (${run.graphProblem ?? 'not computed'}): the tasks that should have run are unknown`);
  }
  if (run.taskResults === undefined) {
    fail(1, `no task results from Nx (${run.resultsProblem ?? 'none recorded'}): the test command did not finish`);
  }

  const results = run.taskResults?.tasks ?? {};
  const tasks = new Map<string, ExpectedTask>((run.expectedTasks ?? []).map((task) => [task.id, task]));
  for (const [id, result] of Object.entries(results)) {
    if (!tasks.has(id)) tasks.set(id, { id, project: result.project, target: result.target, reports: [] });
  }
  const claimed = new Set<string>();

  for (const task of [...tasks.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const result = results[task.id];
    const status = result === undefined ? 'not run' : result.status;
    const succeeded = result !== undefined && SUCCESSFUL.has(result.status);
    const outcome = result === undefined ? 'never ran' : result.status === 'skipped' ? 'not run: a task it depends on failed' : `${result.status}, exit code ${result.code}`;

    if (task.reports.length === 0) {
      if (succeeded) {
        totals.passed += 1;
        totals.lines.push(`PASS ${task.id}`);
      } else {
        fail(1, `${task.id}: ${outcome}`);
        totals.lines.push(`FAIL ${task.id}: ${outcome}`);
      }
      continue;
    }

    const failedBefore = totals.failed;
    const parts: string[] = [];
    for (const path of task.reports) {
      claimed.add(path);
      const read = run.reports.get(path);
      const problem = reportProblem(read, run.taskResults?.startTime);
      if (problem !== undefined) {
        fail(1, `${task.id}: ${path} ${problem}`);
        parts.push(`${path} ${problem}`);
        continue;
      }
      const summary = (read as { summary: JestReportSummary }).summary;
      parts.push(countReport(totals, fail, `${task.id} (${path})`, summary));
    }
    if (!succeeded && totals.failed === failedBefore) {
      const why = status === 'not run' || status === 'skipped' ? outcome : `${outcome} although every test passed`;
      fail(1, `${task.id}: ${why}`);
      parts.push(why);
    }
    totals.lines.push(`${totals.failed === failedBefore ? 'PASS' : 'FAIL'} ${task.id}: ${parts.join('; ')}`);
  }

  for (const [path, read] of [...run.reports.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (claimed.has(path)) continue;
    if ('problem' in read) {
      fail(1, `${path}: ${read.problem}`);
      totals.lines.push(`FAIL ${path} (written by no task of the run): ${read.problem}`);
      continue;
    }
    const failedBefore = totals.failed;
    const counted = countReport(totals, fail, path, read.summary);
    totals.lines.push(`${totals.failed === failedBefore ? 'PASS' : 'FAIL'} ${path} (written by no task of the run): ${counted}`);
  }

  if (run.exitCode !== 0 && totals.failed === 0) {
    fail(1, `the test command exited with code ${run.exitCode}, yet no failed task or test was found`);
  }
  return totals;
}

/** Adds one report's tests to the totals; returns its summary for the log. */
function countReport(
  totals: CiTotals,
  fail: (count: number, what: string) => void,
  label: string,
  summary: JestReportSummary,
): string {
  const brokenSuites = summary.numRuntimeErrorTestSuites ?? 0;
  const skipped = (summary.numPendingTests ?? 0) + (summary.numTodoTests ?? 0);
  totals.passed += summary.numPassedTests;
  totals.skipped += skipped;
  if (summary.numFailedTests > 0) fail(summary.numFailedTests, `${label}: failed tests`);
  if (brokenSuites > 0) fail(brokenSuites, `${label}: test suites that could not run`);
  let text = `${summary.numPassedTests} passed, ${summary.numFailedTests} failed`;
  if (brokenSuites > 0) text += `, ${brokenSuites} suites could not run`;
  if (skipped > 0) text += `, ${skipped} skipped`;
  if (!summary.success && summary.numFailedTests === 0 && brokenSuites === 0) {
    const why = 'jest failed although every test passed (a coverage threshold not met, or a jest error: see its log)';
    fail(1, `${label}: ${why}`);
    text += `; ${why}`;
  }
  return text;
}

function reportProblem(read: JestReportRead | undefined, runStartedAt: number | undefined): string | undefined {
  if (read === undefined) return 'is missing (the task did not write its jest report)';
  if ('problem' in read) return read.problem;
  if (runStartedAt !== undefined && read.summary.startTime !== undefined && read.summary.startTime < runStartedAt) {
    return 'is stale (written before this run)';
  }
  return undefined;
}

/** The line CI reads: the last one of its output. */
export function totalsLine(totals: Pick<CiTotals, 'passed' | 'failed'>): string {
  return `${totals.passed} passed, ${totals.failed} failed`;
}

/** The whole printout: a line per task, the failures, then the totals line last. */
export function formatCiTotals(totals: CiTotals): string[] {
  const out = [...totals.lines];
  if (totals.skipped > 0) out.push(`${totals.skipped} tests skipped or todo (not counted as passed)`);
  if (totals.failures.length > 0) out.push('Failures:', ...totals.failures.map((failure) => `  - ${failure}`));
  out.push(totalsLine(totals));
  return out;
}
