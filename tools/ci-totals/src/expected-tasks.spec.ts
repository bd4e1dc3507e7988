import { expectedTasksOf, jestReportsOf, workspacePath, type NxRunGraphFile } from './expected-tasks';

const PROJECT = { projectName: 'gateway-api', projectRoot: 'apps/gateway-api' };

describe('jestReportsOf', () => {
  it('reads --outputFile of a run-commands jest --json command', () => {
    const target = {
      executor: 'nx:run-commands',
      options: {
        command:
          'mkdir -p reports/jest && jest --config apps/gateway-api/jest.config.ts --coverage --json --outputFile=reports/jest/gateway-api-test.json',
      },
    };

    expect(jestReportsOf(target, undefined, PROJECT)).toEqual(['reports/jest/gateway-api-test.json']);
  });

  it('reads every jest of a commands list, the spaced and quoted forms, and resolves against cwd and tokens', () => {
    const target = {
      executor: 'nx:run-commands',
      options: {
        cwd: '{projectRoot}',
        commands: [
          'tsc --noEmit',
          { command: "npx jest --json --outputFile '../../reports/jest/{projectName}-a.json'" },
          'node_modules/.bin/jest --runInBand --json --outputFile={workspaceRoot}/reports/jest/b.json',
        ],
      },
    };

    expect(jestReportsOf(target, undefined, PROJECT)).toEqual([
      'reports/jest/gateway-api-a.json',
      'reports/jest/b.json',
    ]);
  });

  it('expects nothing of jest without --json, nor of other commands', () => {
    expect(jestReportsOf({ options: { command: 'jest --config x.ts --outputFile=r.json' } }, undefined, PROJECT)).toEqual([]);
    expect(jestReportsOf({ options: { command: 'eslint . --format json --output-file=x.json' } }, undefined, PROJECT)).toEqual([]);
    expect(jestReportsOf({ executor: '@nx/eslint:lint', options: { lintFilePatterns: ['apps/x'] } }, undefined, PROJECT)).toEqual([]);
  });

  it('reads the @nx/jest executor, with the options of the configuration run', () => {
    const target = {
      executor: '@nx/jest:jest',
      options: { jestConfig: 'apps/gateway-api/jest.config.ts', json: true, outputFile: 'reports/jest/{projectName}.json' },
      configurations: { ci: { outputFile: 'reports/jest/{projectName}-ci.json' } },
    };

    expect(jestReportsOf(target, undefined, PROJECT)).toEqual(['reports/jest/gateway-api.json']);
    expect(jestReportsOf(target, 'ci', PROJECT)).toEqual(['reports/jest/gateway-api-ci.json']);
    expect(jestReportsOf({ ...target, options: { ...target.options, json: false } }, undefined, PROJECT)).toEqual([]);
  });

  it('keeps absolute paths absolute', () => {
    expect(workspacePath('apps/x', '/tmp/report.json')).toBe('/tmp/report.json');
    expect(workspacePath('', './reports/jest/a.json')).toBe('reports/jest/a.json');
  });
});

describe('expectedTasksOf', () => {
  const graph: NxRunGraphFile = {
    graph: {
      nodes: {
        lib: {
          data: {
            root: 'libs/lib',
            targets: {
              lint: { executor: '@nx/eslint:lint' },
              test: { executor: 'nx:run-commands', options: { command: 'jest --json --outputFile=reports/jest/lib-test.json' } },
              serve: { executor: 'nx:run-commands', continuous: true },
            },
          },
        },
      },
    },
    tasks: {
      tasks: {
        'lib:test': { id: 'lib:test', target: { project: 'lib', target: 'test' } },
        'lib:lint': { id: 'lib:lint', target: { project: 'lib', target: 'lint' } },
        'lib:serve': { id: 'lib:serve', target: { project: 'lib', target: 'serve' }, continuous: true },
        'gone:build': { id: 'gone:build', target: { project: 'gone', target: 'build' } },
      },
    },
  };

  it('lists every finite task of the run with the reports it writes, sorted', () => {
    expect(expectedTasksOf(graph)).toEqual([
      { id: 'gone:build', project: 'gone', target: 'build', reports: [] },
      { id: 'lib:lint', project: 'lib', target: 'lint', reports: [] },
      { id: 'lib:test', project: 'lib', target: 'test', reports: ['reports/jest/lib-test.json'] },
    ]);
  });
});
