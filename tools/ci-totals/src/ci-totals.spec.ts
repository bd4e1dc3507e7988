import { computeCiTotals, formatCiTotals, type CiRunRecord, type JestReportRead, type JestReportSummary } from './ci-totals';
import type { ExpectedTask } from './expected-tasks';
import type { NxTaskStatus, TaskResultsFile } from './task-results';

const RUN_STARTED = Date.UTC(2024, 0, 2, 0, 0, 0);

/** The tasks of a small workspace: one library with lint, typecheck and test, one app with a build. */
const TASKS: ExpectedTask[] = [
  { id: 'lib:lint', project: 'lib', target: 'lint', reports: [] },
  { id: 'lib:typecheck', project: 'lib', target: 'typecheck', reports: [] },
  { id: 'lib:test', project: 'lib', target: 'test', reports: ['reports/jest/lib-test.json'] },
  { id: 'app:build', project: 'app', target: 'build', reports: [] },
  { id: 'app:test', project: 'app', target: 'test', reports: ['reports/jest/app-test.json'] },
];

function report(overrides: Partial<JestReportSummary> = {}): JestReportRead {
  return {
    summary: {
      numPassedTests: 10,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      numRuntimeErrorTestSuites: 0,
      success: true,
      startTime: RUN_STARTED + 1_000,
      ...overrides,
    },
  };
}

function results(statuses: Record<string, NxTaskStatus> = {}): TaskResultsFile {
  const tasks: TaskResultsFile['tasks'] = {};
  for (const task of TASKS) {
    const status = statuses[task.id] ?? 'success';
    tasks[task.id] = { project: task.project, target: task.target, status, code: status === 'failure' ? 1 : 0 };
  }
  return { argv: ['nx', 'run-many'], startTime: RUN_STARTED, endTime: RUN_STARTED + 60_000, tasks };
}

/** Everything passed: both reports with 10 passing tests, every task a success, exit code 0. */
function greenRun(): CiRunRecord {
  return {
    expectedTasks: TASKS,
    taskResults: results(),
    reports: new Map([
      ['reports/jest/lib-test.json', report()],
      ['reports/jest/app-test.json', report()],
    ]),
    exitCode: 0,
  };
}

function lastLine(run: CiRunRecord): string {
  return formatCiTotals(computeCiTotals(run)).at(-1) as string;
}

describe('computeCiTotals', () => {
  it('passing everything: every test and every task without a report counts as passed, "N passed, 0 failed"', () => {
    const totals = computeCiTotals(greenRun());

    // 20 tests + lib:lint, lib:typecheck, app:build
    expect(totals).toMatchObject({ passed: 23, failed: 0, failures: [] });
    expect(lastLine(greenRun())).toBe('23 passed, 0 failed');
    expect(totals.lines).toContain('PASS lib:lint');
    expect(totals.lines).toContain('PASS lib:test: 10 passed, 0 failed');
  });

  it('a failing lint is a failure, though no test failed', () => {
    const run = { ...greenRun(), taskResults: results({ 'lib:lint': 'failure' }), exitCode: 1 };

    const totals = computeCiTotals(run);

    expect(totals).toMatchObject({ passed: 22, failed: 1 });
    expect(totals.failures).toEqual(['lib:lint: failure, exit code 1']);
    expect(totals.lines).toContain('FAIL lib:lint: failure, exit code 1');
    expect(lastLine(run)).toBe('22 passed, 1 failed');
  });

  it.each(['lib:typecheck', 'app:build'])('a failing %s is a failure', (id) => {
    const totals = computeCiTotals({ ...greenRun(), taskResults: results({ [id]: 'failure' }), exitCode: 1 });

    expect(totals.failed).toBe(1);
    expect(totals.failures).toEqual([`${id}: failure, exit code 1`]);
  });

  it('a task that depends on a failed one and so never ran is a failure, and so is its missing report', () => {
    const run = { ...greenRun(), taskResults: results({ 'app:build': 'failure', 'app:test': 'skipped' }), exitCode: 1 };
    run.reports = new Map([['reports/jest/lib-test.json', report()]]);

    const totals = computeCiTotals(run);

    expect(totals.failed).toBe(2);
    expect(totals.failures).toEqual([
      'app:build: failure, exit code 1',
      'app:test: reports/jest/app-test.json is missing (the task did not write its jest report)',
    ]);
  });

  it('a missing expected report is a failure, even when Nx says the task succeeded', () => {
    const run = greenRun();
    run.reports = new Map([['reports/jest/lib-test.json', report()]]);

    const totals = computeCiTotals(run);

    expect(totals).toMatchObject({ passed: 13, failed: 1 });
    expect(totals.lines).toContain('FAIL app:test: reports/jest/app-test.json is missing (the task did not write its jest report)');
    expect(lastLine(run)).toBe('13 passed, 1 failed');
  });

  it('a test target that crashed before writing its report counts once, not zero', () => {
    const run = { ...greenRun(), taskResults: results({ 'app:test': 'failure' }), exitCode: 1 };
    run.reports = new Map([['reports/jest/lib-test.json', report()]]);

    expect(computeCiTotals(run).failed).toBe(1);
  });

  it('a coverage-threshold failure (jest fails the run, every test passed) is a failure', () => {
    const run = { ...greenRun(), taskResults: results({ 'lib:test': 'failure' }), exitCode: 1 };
    run.reports = new Map([
      ['reports/jest/lib-test.json', report({ success: false })],
      ['reports/jest/app-test.json', report()],
    ]);

    const totals = computeCiTotals(run);

    expect(totals).toMatchObject({ passed: 23, failed: 1 });
    expect(totals.failures).toEqual([
      'lib:test (reports/jest/lib-test.json): jest failed although every test passed (a coverage threshold not met, or a jest error: see its log)',
    ]);
    expect(lastLine(run)).toBe('23 passed, 1 failed');
  });

  it('a report saying success:false counts even when the task hid the exit code', () => {
    const run = greenRun();
    run.reports = new Map([
      ['reports/jest/lib-test.json', report({ success: false })],
      ['reports/jest/app-test.json', report()],
    ]);

    expect(computeCiTotals(run).failed).toBe(1);
  });

  it('a test task that failed while its report shows every test passing counts once', () => {
    const run = { ...greenRun(), taskResults: results({ 'lib:test': 'failure' }), exitCode: 1 };

    const totals = computeCiTotals(run);

    expect(totals.failed).toBe(1);
    expect(totals.failures).toEqual(['lib:test: failure, exit code 1 although every test passed']);
  });

  it('counts failed tests and suites that could not run one by one, without adding the task again', () => {
    const run = { ...greenRun(), taskResults: results({ 'lib:test': 'failure' }), exitCode: 1 };
    run.reports = new Map([
      ['reports/jest/lib-test.json', report({ numPassedTests: 7, numFailedTests: 3, numRuntimeErrorTestSuites: 2, success: false })],
      ['reports/jest/app-test.json', report()],
    ]);

    const totals = computeCiTotals(run);

    expect(totals).toMatchObject({ passed: 20, failed: 5 });
    expect(totals.lines).toContain('FAIL lib:test: 7 passed, 3 failed, 2 suites could not run');
  });

  it('an unreadable or stale report counts as missing', () => {
    const run = greenRun();
    run.reports = new Map([
      ['reports/jest/lib-test.json', { problem: 'is not valid JSON (cut short?)' }],
      ['reports/jest/app-test.json', report({ startTime: RUN_STARTED - 1 })],
    ]);

    const totals = computeCiTotals(run);

    expect(totals.failed).toBe(2);
    expect(totals.failures).toEqual([
      'app:test: reports/jest/app-test.json is stale (written before this run)',
      'lib:test: reports/jest/lib-test.json is not valid JSON (cut short?)',
    ]);
  });

  it('a task of the graph that Nx never reported (the run was cut short) is a failure', () => {
    const cut = results();
    delete cut.tasks['app:build'];

    const totals = computeCiTotals({ ...greenRun(), taskResults: cut, exitCode: 130 });

    expect(totals.failures).toEqual(['app:build: never ran']);
  });

  it('no task results at all: a failure, and every task counts as not run', () => {
    const run = { ...greenRun(), taskResults: undefined, resultsProblem: 'reports/ci/task-results.json is missing', exitCode: 1 };

    const totals = computeCiTotals(run);

    expect(totals.failures[0]).toBe(
      'no task results from Nx (reports/ci/task-results.json is missing): the test command did not finish',
    );
    // lint, typecheck, build: never ran; the tests' reports exist and pass, but their tasks' outcome is unknown.
    expect(totals.failed).toBe(1 + 5);
  });

  it('no task graph: a failure, and the tasks Nx reported are still counted', () => {
    const run = { ...greenRun(), expectedTasks: undefined, graphProblem: 'reports/ci/task-graph.json is missing' };

    const totals = computeCiTotals(run);

    expect(totals.failures).toEqual(['no task graph (reports/ci/task-graph.json is missing): the tasks that should have run are unknown']);
    // Without the graph the reports are not tied to tasks: their tests still count, so does every task.
    expect(totals.passed).toBe(20 + 5);
  });

  it('counts a report no task names, so that no test result is dropped', () => {
    const run = greenRun();
    run.reports = new Map([...run.reports, ['reports/jest/extra.json', report({ numPassedTests: 2, numFailedTests: 1, success: false })]]);

    const totals = computeCiTotals(run);

    expect(totals).toMatchObject({ passed: 25, failed: 1 });
    expect(totals.lines).toContain('FAIL reports/jest/extra.json (written by no task of the run): 2 passed, 1 failed');
  });

  it('a non-zero exit with nothing else failed is still a failure', () => {
    const totals = computeCiTotals({ ...greenRun(), exitCode: 2 });

    expect(totals.failures).toEqual(['the test command exited with code 2, yet no failed task or test was found']);
  });

  it('counts problems of the run itself (an install that failed) as failures', () => {
    const totals = computeCiTotals({ ...greenRun(), problems: ['could not install redis-server'] });

    expect(totals).toMatchObject({ failed: 1, failures: ['could not install redis-server'] });
  });

  it('cache hits are successes', () => {
    const totals = computeCiTotals({ ...greenRun(), taskResults: results({ 'lib:lint': 'local-cache', 'app:build': 'remote-cache' }) });

    expect(totals.failed).toBe(0);
  });

  it('reports skipped tests apart, never as passed', () => {
    const run = greenRun();
    run.reports = new Map([
      ['reports/jest/lib-test.json', report({ numPendingTests: 2, numTodoTests: 1 })],
      ['reports/jest/app-test.json', report()],
    ]);

    const output = formatCiTotals(computeCiTotals(run));

    expect(output).toContain('3 tests skipped or todo (not counted as passed)');
    expect(output.at(-1)).toBe('23 passed, 0 failed');
  });

  it('prints the failures before the totals line, which is always last', () => {
    const output = formatCiTotals(computeCiTotals({ ...greenRun(), taskResults: results({ 'lib:lint': 'failure' }), exitCode: 1 }));

    expect(output.slice(-3)).toEqual(['Failures:', '  - lib:lint: failure, exit code 1', '22 passed, 1 failed']);
  });
});
