import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeCiTotals } from './ci-totals';
import type { NxRunGraphFile } from './expected-tasks';
import { readCiRun, type CiRunFiles } from './read-ci-run';
import type { TaskResultsFile } from './task-results';

const GRAPH: NxRunGraphFile = {
  graph: {
    nodes: {
      lib: {
        data: {
          root: 'libs/lib',
          targets: {
            lint: { executor: '@nx/eslint:lint' },
            test: { options: { command: 'mkdir -p reports/jest && jest --coverage --json --outputFile=reports/jest/lib-test.json' } },
            integration: { options: { command: 'jest --json --outputFile=out/lib-integration.json' } },
          },
        },
      },
    },
  },
  tasks: {
    tasks: {
      'lib:lint': { id: 'lib:lint', target: { project: 'lib', target: 'lint' } },
      'lib:test': { id: 'lib:test', target: { project: 'lib', target: 'test' } },
      'lib:integration': { id: 'lib:integration', target: { project: 'lib', target: 'integration' } },
    },
  },
};

const RESULTS: TaskResultsFile = {
  argv: ['nx'],
  startTime: 1_000,
  endTime: 2_000,
  tasks: {
    'lib:lint': { project: 'lib', target: 'lint', status: 'success', code: 0 },
    'lib:test': { project: 'lib', target: 'test', status: 'success', code: 0 },
    'lib:integration': { project: 'lib', target: 'integration', status: 'success', code: 0 },
  },
};

const JEST_REPORT = {
  numPassedTests: 4,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  numRuntimeErrorTestSuites: 0,
  success: true,
  startTime: 1_500,
  testResults: [],
};

describe('readCiRun', () => {
  let root: string;
  const files = (): CiRunFiles => ({
    workspaceRoot: root,
    graphFile: 'reports/ci/task-graph.json',
    resultsFile: 'reports/ci/task-results.json',
    reportsDir: 'reports/jest',
    exitCode: 0,
  });
  const write = (path: string, content: unknown): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ci-totals-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the graph, the results and every report, also one outside the reports folder', () => {
    write('reports/ci/task-graph.json', GRAPH);
    write('reports/ci/task-results.json', RESULTS);
    write('reports/jest/lib-test.json', JEST_REPORT);
    write('out/lib-integration.json', { ...JEST_REPORT, numPassedTests: 2 });

    const run = readCiRun(files());

    expect(run.expectedTasks?.map((task) => [task.id, task.reports])).toEqual([
      ['lib:integration', ['out/lib-integration.json']],
      ['lib:lint', []],
      ['lib:test', ['reports/jest/lib-test.json']],
    ]);
    expect(run.taskResults).toEqual(RESULTS);
    expect([...run.reports.keys()].sort()).toEqual(['out/lib-integration.json', 'reports/jest/lib-test.json']);
    expect(computeCiTotals(run)).toMatchObject({ passed: 4 + 2 + 1, failed: 0 });
  });

  it('turns missing, cut-short and foreign files into failures, never a crash', () => {
    write('reports/ci/task-graph.json', '{"graph": {');
    write('reports/jest/lib-test.json', '{"numPassedTests": 4, "numFai');
    write('reports/jest/not-jest.json', { hello: 'world' });

    const run = readCiRun({ ...files(), exitCode: 1 });

    expect(run.graphProblem).toBe('reports/ci/task-graph.json is not valid JSON (cut short?)');
    expect(run.resultsProblem).toBe('reports/ci/task-results.json is missing');
    expect(run.reports.get('reports/jest/lib-test.json')).toEqual({ problem: 'is not valid JSON (cut short?)' });
    expect(run.reports.get('reports/jest/not-jest.json')).toEqual({ problem: 'is not a jest --json report' });
    expect(computeCiTotals(run).failed).toBe(4);
  });

  it('a results file without tasks is no results', () => {
    write('reports/ci/task-graph.json', GRAPH);
    write('reports/ci/task-results.json', { argv: [] });

    expect(readCiRun(files()).resultsProblem).toBe('reports/ci/task-results.json lists no tasks');
  });

  it('reads the coverage failure of a jest report (success false) and the stale start time', () => {
    write('reports/ci/task-graph.json', GRAPH);
    write('reports/ci/task-results.json', RESULTS);
    write('reports/jest/lib-test.json', { ...JEST_REPORT, success: false });
    write('out/lib-integration.json', { ...JEST_REPORT, startTime: 999 });

    const totals = computeCiTotals(readCiRun(files()));

    expect(totals.failures).toEqual([
      'lib:integration: out/lib-integration.json is stale (written before this run)',
      'lib:test (reports/jest/lib-test.json): jest failed although every test passed (a coverage threshold not met, or a jest error: see its log)',
    ]);
  });
});
