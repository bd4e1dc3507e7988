import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The CI totals end to end, on a throw-away Nx workspace: the same steps as .ci/run (the task graph of `npm test`,
 * `npm test` with the task-results plugin, the totals CLI) over real Nx, real eslint and real jest with a coverage
 * threshold. Small projects keep it to seconds.
 */
const repositoryRoot = join(__dirname, '..', '..', '..');
const TOTALS = /^\d+ passed, \d+ failed$/;

/** The environment of a fresh run: nothing from the Nx run this test itself may be a task of. */
const ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NX_'))),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_SKIP_NX_CACHE: 'true',
  NX_TUI: 'false',
  CI: 'true',
  CI_TASK_RESULTS_FILE: '',
};

/** A jest target: passing tests, coverage on, `--json --outputFile` as the workspace's targets do. */
function jestTarget(project: string, prefix = ''): object {
  return {
    executor: 'nx:run-commands',
    options: {
      command: `${prefix}mkdir -p reports/jest && jest --config ${project}/jest.config.js --coverage --json --outputFile=reports/jest/${project}-test.json`,
    },
  };
}

function writeFiles(root: string, files: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

/** Two libraries, each linted by eslint and tested by jest with an 80 % line threshold; everything passes. */
function createWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ci-totals-workspace-'));
  symlinkSync(realpathSync(join(repositoryRoot, 'node_modules')), join(root, 'node_modules'));
  mkdirSync(join(root, 'tools'));
  copyFileSync(join(__dirname, 'task-results-plugin.js'), join(root, 'tools', 'task-results-plugin.js'));
  const library = (name: string) => ({
    [`${name}/project.json`]: {
      name,
      targets: { lint: { executor: 'nx:run-commands', options: { command: `eslint ${name}` } }, test: jestTarget(name) },
    },
    [`${name}/jest.config.js`]: `module.exports = { rootDir: __dirname, testEnvironment: 'node', collectCoverageFrom: ['lib.js'], coverageThreshold: { global: { lines: 80 } } };\n`,
    [`${name}/lib.js`]: 'exports.add = (a, b) => a + b;\nexports.sub = (a, b) => a - b;\n',
    [`${name}/lib.test.js`]: `const { add, sub } = require('./lib');\ntest('adds', () => expect(add(1, 2)).toBe(3));\ntest('subtracts', () => expect(sub(3, 2)).toBe(1));\n`,
  });
  writeFiles(root, {
    'package.json': { name: 'throw-away', private: true, scripts: { test: 'nx run-many -t lint test --outputStyle=static' } },
    'nx.json': {
      plugins: ['./tools/task-results-plugin.js'],
      useInferencePlugins: false,
      analytics: false,
      neverConnectToCloud: true,
      parallel: 1,
    },
    'eslint.config.mjs': `export default [{ files: ['**/*.js'], rules: { 'no-unused-vars': 'error' }, languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable', test: 'readonly', expect: 'readonly', __dirname: 'readonly' } } }];\n`,
    ...library('alpha'),
    ...library('beta'),
  });
  return root;
}

interface CiRunOutput {
  lines: string[];
  exitCode: number | null;
  npmTestExitCode: number | null;
}

/** What .ci/run does after installing: graph, `npm test` with the plugin on, totals. */
function runCi(root: string): CiRunOutput {
  const run = (command: string, args: string[], env: NodeJS.ProcessEnv = ENV) =>
    spawnSync(command, args, { cwd: root, env, encoding: 'utf8', timeout: 100_000 });
  rmSync(join(root, 'reports'), { recursive: true, force: true });
  const graph = run('npm', ['test', '--silent', '--', '--graph=reports/ci/task-graph.json']);
  expect(graph.status).toBe(0);
  const test = run('npm', ['test'], { ...ENV, CI_TASK_RESULTS_FILE: 'reports/ci/task-results.json' });
  const totals = run(process.execPath, [
    '-r',
    '@swc-node/register',
    join(repositoryRoot, 'tools', 'ci-totals', 'src', 'main.ts'),
    '--graph', 'reports/ci/task-graph.json',
    '--results', 'reports/ci/task-results.json',
    '--reports', 'reports/jest',
    '--exit-code', String(test.status),
  ], { ...ENV, SWC_NODE_PROJECT: join(repositoryRoot, 'tools', 'ci-totals', 'tsconfig.json') });
  const lines = totals.stdout.trimEnd().split('\n');
  if (!TOTALS.test(lines.at(-1) ?? '')) {
    throw new Error(`no totals line\n${totals.stdout}\n${totals.stderr}\n--- npm test ---\n${test.stdout}\n${test.stderr}`);
  }
  return { lines, exitCode: totals.status, npmTestExitCode: test.status };
}

describe('CI totals over a real Nx run', () => {
  let root: string;

  beforeAll(() => {
    root = createWorkspace();
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passing everything: the tests and the lint tasks, "N passed, 0 failed", exit 0', () => {
    const output = runCi(root);

    expect(output.npmTestExitCode).toBe(0);
    expect(output.lines).toEqual(['PASS alpha:lint', 'PASS alpha:test: 2 passed, 0 failed', 'PASS beta:lint', 'PASS beta:test: 2 passed, 0 failed', '6 passed, 0 failed']);
    expect(output.exitCode).toBe(0);
  });

  it('counts a failing lint, a coverage-threshold failure and a test target that died before its report', () => {
    // A real eslint error in alpha; beta's coverage falls under its threshold with every test passing;
    // a third project's test target dies before jest writes its report.
    writeFiles(root, {
      'alpha/unused.js': 'const unused = 1;\n',
      'beta/lib.js': [
        'exports.add = (a, b) => a + b;',
        'exports.sub = (a, b) => a - b;',
        ...Array.from({ length: 10 }, (_, index) => `exports.untested${index} = () => {\n  return ${index};\n};`),
        '',
      ].join('\n'),
      'gamma/project.json': { name: 'gamma', targets: { test: jestTarget('gamma', 'node -e "process.exit(3)" && ') } },
    });

    const output = runCi(root);

    expect(output.npmTestExitCode).not.toBe(0);
    expect(output.lines).toEqual(
      expect.arrayContaining([
        'FAIL alpha:lint: failure, exit code 1',
        'PASS alpha:test: 2 passed, 0 failed',
        'FAIL beta:test: 2 passed, 0 failed; jest failed although every test passed (a coverage threshold not met, or a jest error: see its log)',
        'FAIL gamma:test: reports/jest/gamma-test.json is missing (the task did not write its jest report)',
      ]),
    );
    expect(output.lines.at(-1)).toBe('5 passed, 3 failed');
    expect(output.exitCode).toBe(1);
  });
});
