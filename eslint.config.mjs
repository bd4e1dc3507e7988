import nx from '@nx/eslint-plugin';

/**
 * Module boundaries: the tags below are what keep the domain framework-free.
 * type:domain may only use type:util and may not import any framework package;
 * libraries never import apps; tools may use everything but apps; apps get their infrastructure from the
 * service kit.
 */
const frameworkPackages = [
  '@nestjs/*',
  '@grpc/*',
  'typeorm',
  'typeorm/*',
  '@nestjs/typeorm',
  'ioredis',
  'express',
  'rxjs',
  'rxjs/*',
  'class-validator',
  'class-transformer',
  'pino',
  'prom-client',
];

/**
 * Concerns that have one home, the service kit (@qts/service-infra): an app that imports these packages itself
 * is building a second gRPC health or reflection service, a second logger or a second health module.
 */
const serviceKitPackages = ['@grpc/reflection', 'grpc-health-check', 'nestjs-pino', 'pino', 'pino-http', '@nestjs/terminus'];

function moduleBoundaries({ testCode }) {
  const testing = testCode ? ['type:test-support'] : [];
  return {
    enforceBuildableLibDependency: true,
    allow: [],
    // test-support uses the configuration's types only (no-restricted-imports below), while the tests of
    // rate-limit, which the configuration uses, use test-support.
    ignoredCircularDependencies: [
      ['test-support', 'platform-config'],
      ['rate-limit', 'test-support'],
    ],
    banTransitiveDependencies: true,
    depConstraints: [
      {
        sourceTag: 'type:domain',
        onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...testing],
        bannedExternalImports: frameworkPackages,
      },
      {
        sourceTag: 'type:util',
        onlyDependOnLibsWithTags: ['type:util', ...testing],
        bannedExternalImports: ['@nestjs/*', 'typeorm', 'typeorm/*'],
      },
      { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util', ...testing] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util', ...testing] },
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util', ...testing],
        ...(testCode ? {} : { bannedExternalImports: serviceKitPackages }),
      },
      {
        sourceTag: 'type:test-support',
        onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util', 'type:test-support'],
      },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/tmp', '**/generated/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testCode: false })] },
  },
  {
    // Test code, and the benchmarks, which drive real processes as the tests do, may also use the test-support
    // library (simulator process control, free ports, PostgreSQL).
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', 'tools/bench/src/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testCode: true })] },
  },
  {
    // Build configuration, not program code: every Node program's webpack config takes the one shared config from
    // tools/webpack (a file outside any project, which the module boundaries cannot name).
    files: ['**/webpack.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // test-support is used by the tests of platform-config's own dependencies (rate-limit): it may use the
    // configuration's types, never its code (its project.json drops the edge from the graph accordingly).
    files: ['libs/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@qts/platform-config', message: 'types only (import type)', allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', 'tools/**/*.ts', 'tools/**/*.mjs'],
    rules: {
      'no-console': 'off',
    },
  },
];
