// @ts-check
'use strict';
// Nx plugin: after every task run, writes each task's final status to the JSON file named by
// CI_TASK_RESULTS_FILE (nothing when it is unset). CI totals read it to count failed lint, type check,
// build and codegen tasks, which print no jest report. Nx has no other machine-readable per-task result.
// Plain CommonJS so that Nx loads it without a TypeScript transpiler on every command.
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, resolve } = require('node:path');

/** The variable naming the results file. */
const RESULTS_FILE_VARIABLE = 'CI_TASK_RESULTS_FILE';

/**
 * The file's content. Exported for tests.
 * @param {import('@nx/devkit').PostTasksExecutionContext} context
 * @returns {import('./task-results').TaskResultsFile}
 */
function toTaskResultsFile(context) {
  /** @type {import('./task-results').TaskResultsFile['tasks']} */
  const tasks = {};
  for (const [id, result] of Object.entries(context.taskResults)) {
    const { project, target, configuration } = result.task.target;
    tasks[id] = {
      project,
      target,
      ...(configuration ? { configuration } : {}),
      status: result.status,
      code: result.code,
    };
  }
  return { argv: [...context.argv], startTime: context.startTime, endTime: context.endTime, tasks };
}

/**
 * A nested Nx run (a test that runs Nx) ends before the run that started it, so the outer run writes last and its
 * results are the ones left in the file. Written to a temporary file and renamed: never half a file.
 * @type {import('@nx/devkit').PostTasksExecution}
 */
async function postTasksExecution(_options, context) {
  const target = process.env[RESULTS_FILE_VARIABLE];
  if (!target) return;
  const file = resolve(context.workspaceRoot, target);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(toTaskResultsFile(context), null, 2)}\n`, 'utf8');
  renameSync(temporary, file);
}

module.exports = { name: 'ci-task-results', postTasksExecution, toTaskResultsFile, RESULTS_FILE_VARIABLE };
