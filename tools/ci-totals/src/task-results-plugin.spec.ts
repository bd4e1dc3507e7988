import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostTasksExecutionContext, TaskResults } from '@nx/devkit';
// The plugin is plain CommonJS so that Nx loads it without a transpiler.
import plugin = require('./task-results-plugin');

function context(workspaceRoot: string, taskResults: Record<string, { status: string; code: number; configuration?: string }>): PostTasksExecutionContext {
  const results: Record<string, unknown> = {};
  for (const [id, result] of Object.entries(taskResults)) {
    const [project, target] = id.split(':');
    results[id] = {
      status: result.status,
      code: result.code,
      task: { id, target: { project, target, ...(result.configuration ? { configuration: result.configuration } : {}) } },
      terminalOutput: 'long output that is not copied',
    };
  }
  return {
    id: 'run-1',
    workspaceRoot,
    nxJsonConfiguration: {},
    argv: ['node', 'nx', 'run-many', '-t', 'lint'],
    startTime: 1_000,
    endTime: 5_000,
    taskResults: results as TaskResults,
  };
}

describe('task-results plugin', () => {
  let root: string;
  const saved = process.env[plugin.RESULTS_FILE_VARIABLE];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'task-results-'));
  });

  afterEach(() => {
    if (saved === undefined) delete process.env[plugin.RESULTS_FILE_VARIABLE];
    else process.env[plugin.RESULTS_FILE_VARIABLE] = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('writes each task status, code and target to the file named by CI_TASK_RESULTS_FILE (relative to the root)', async () => {
    process.env['CI_TASK_RESULTS_FILE'] = 'reports/ci/task-results.json';

    await plugin.postTasksExecution(
      undefined,
      context(root, { 'lib:lint': { status: 'failure', code: 1 }, 'app:build': { status: 'local-cache', code: 0, configuration: 'production' } }),
    );

    const file = join(root, 'reports', 'ci', 'task-results.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      argv: ['node', 'nx', 'run-many', '-t', 'lint'],
      startTime: 1_000,
      endTime: 5_000,
      tasks: {
        'lib:lint': { project: 'lib', target: 'lint', status: 'failure', code: 1 },
        'app:build': { project: 'app', target: 'build', configuration: 'production', status: 'local-cache', code: 0 },
      },
    });
    expect(readdirSync(join(root, 'reports', 'ci'))).toEqual(['task-results.json']);
  });

  it('replaces the file of an earlier (nested) run: the last run to finish is the one kept', async () => {
    process.env['CI_TASK_RESULTS_FILE'] = join(root, 'results.json');

    await plugin.postTasksExecution(undefined, context(root, { 'inner:lint': { status: 'failure', code: 1 } }));
    await plugin.postTasksExecution(undefined, context(root, { 'outer:lint': { status: 'success', code: 0 } }));

    expect(Object.keys(JSON.parse(readFileSync(join(root, 'results.json'), 'utf8')).tasks)).toEqual(['outer:lint']);
  });

  it('writes nothing when CI_TASK_RESULTS_FILE is unset or empty', async () => {
    delete process.env['CI_TASK_RESULTS_FILE'];
    await plugin.postTasksExecution(undefined, context(root, { 'lib:lint': { status: 'success', code: 0 } }));
    process.env['CI_TASK_RESULTS_FILE'] = '';
    await plugin.postTasksExecution(undefined, context(root, { 'lib:lint': { status: 'success', code: 0 } }));

    expect(readdirSync(root)).toEqual([]);
    expect(existsSync(join(root, 'reports'))).toBe(false);
  });
});
