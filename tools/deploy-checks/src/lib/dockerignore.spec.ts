import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepositoryRoot } from '@qts/test-support';
import { DockerIgnore } from './dockerignore';

const root = findRepositoryRoot(__dirname);

describe('DockerIgnore', () => {
  it('applies patterns in order, the last match deciding, with ** spanning folders', () => {
    const ignore = new DockerIgnore('# comment\n*\n!src/\n**/secret*\n!src/secret-ok.txt\n/build\n');
    expect(ignore.includes('README.md')).toBe(false);
    expect(ignore.includes('src/a/b.ts')).toBe(true);
    expect(ignore.includes('src/a/secret.key')).toBe(false);
    expect(ignore.includes('src/secret-ok.txt')).toBe(true);
    expect(new DockerIgnore('a?c\n').includes('abc')).toBe(false);
    expect(new DockerIgnore('a?c\n').includes('a/c')).toBe(true);
  });
});

describe('the repository`s .dockerignore', () => {
  const ignore = new DockerIgnore(readFileSync(path.join(root, '.dockerignore'), 'utf8'));
  /** What `npm ci` and the Nx builds read: the manifests, Nx's configuration and the sources. */
  const buildInputs = [
    'package.json',
    'package-lock.json',
    'nx.json',
    'tsconfig.base.json',
    'apps',
    'libs',
    'tools',
    'proto',
  ];

  it('sends every tracked file the builds read, and nothing else', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const wrong = tracked.filter(
      (file) => ignore.includes(file) !== buildInputs.includes(file.split('/')[0]),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps local state and secrets out, wherever they are', () => {
    for (const file of [
      '.env',
      'apps/gateway-api/.env.local',
      'data/worker.sqlite',
      'apps/execution-worker/data/worker.sqlite-wal',
      'node_modules/pg/index.js',
      'libs/rate-limit/node_modules/x/index.js',
      'dist/apps/gateway-api/main.js',
      'tools/x/key.pem',
      '.git/config',
      '.nx/cache/x',
      'reports/jest/x.json',
    ]) {
      expect([file, ignore.includes(file)]).toEqual([file, false]);
    }
  });
});
