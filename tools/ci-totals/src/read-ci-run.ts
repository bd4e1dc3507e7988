import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import type { CiRunRecord, JestReportRead, JestReportSummary } from './ci-totals';
import { expectedTasksOf, type ExpectedTask, type NxRunGraphFile } from './expected-tasks';
import type { TaskResultsFile } from './task-results';

export interface CiRunFiles {
  workspaceRoot: string;
  /** Written by `<test command> --graph=<file>` before the run. */
  graphFile: string;
  /** Written by the task-results Nx plugin (CI_TASK_RESULTS_FILE) after the run. */
  resultsFile: string;
  /** Where the jest targets write their --json reports. */
  reportsDir: string;
  exitCode: number;
  problems?: string[];
}

/** Reads what a CI run left behind. A file that cannot be read becomes a problem (a failure), never a crash. */
export function readCiRun(files: CiRunFiles): CiRunRecord {
  const problems = [...(files.problems ?? [])];
  const root = files.workspaceRoot;

  let expectedTasks: ExpectedTask[] | undefined;
  let graphProblem: string | undefined;
  const graph = readJson<NxRunGraphFile>(resolve(root, files.graphFile));
  if ('value' in graph) {
    try {
      expectedTasks = expectedTasksOf(graph.value);
    } catch (error) {
      graphProblem = `${files.graphFile} has an unexpected shape: ${String(error)}`;
    }
  } else {
    graphProblem = `${files.graphFile} ${graph.problem}`;
  }

  let taskResults: TaskResultsFile | undefined;
  let resultsProblem: string | undefined;
  const results = readJson<TaskResultsFile>(resolve(root, files.resultsFile));
  if ('value' in results && typeof results.value?.tasks === 'object' && results.value.tasks !== null) {
    taskResults = results.value;
  } else {
    resultsProblem = `${files.resultsFile} ${'value' in results ? 'lists no tasks' : results.problem}`;
  }

  const reports = new Map<string, JestReportRead>();
  const reportsDir = resolve(root, files.reportsDir);
  const found = existsSync(reportsDir) ? readdirSync(reportsDir).filter((name) => name.endsWith('.json')) : [];
  for (const name of found) {
    const path = toKey(root, resolve(reportsDir, name));
    reports.set(path, readReport(resolve(reportsDir, name)));
  }
  for (const task of expectedTasks ?? []) {
    for (const path of task.reports) {
      if (!reports.has(path) && existsSync(resolve(root, path))) reports.set(path, readReport(resolve(root, path)));
    }
  }

  return { expectedTasks, graphProblem, taskResults, resultsProblem, reports, exitCode: files.exitCode, problems };
}

function toKey(root: string, file: string): string {
  const inside = relative(root, file);
  return inside.startsWith('..') ? file.split(sep).join('/') : posix.normalize(inside.split(sep).join('/'));
}

function readReport(file: string): JestReportRead {
  const read = readJson<Partial<JestReportSummary>>(file);
  if (!('value' in read)) return { problem: read.problem };
  const report = read.value;
  if (typeof report !== 'object' || report === null || typeof report.numPassedTests !== 'number' || typeof report.numFailedTests !== 'number') {
    return { problem: 'is not a jest --json report' };
  }
  return {
    summary: {
      numPassedTests: report.numPassedTests,
      numFailedTests: report.numFailedTests,
      numPendingTests: report.numPendingTests ?? 0,
      numTodoTests: report.numTodoTests ?? 0,
      numRuntimeErrorTestSuites: report.numRuntimeErrorTestSuites ?? 0,
      success: report.success === true,
      ...(typeof report.startTime === 'number' ? { startTime: report.startTime } : {}),
    },
  };
}

function readJson<T>(file: string): { value: T } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${String(error)})` };
  }
  try {
    return { value: JSON.parse(text) as T };
  } catch {
    return { problem: 'is not valid JSON (cut short?)' };
  }
}
