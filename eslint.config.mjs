import nx from '@nx/eslint-plugin';

/**
 * Module boundaries: the tags below are what keep the domain framework-free.
 * type:domain may only use type:util and may not import any framework package;
 * libraries never import apps; tools may use everything but apps.
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

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/tmp', '**/generated/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          banTransitiveDependencies: true,
          checkDynamicDependenciesExceptions: [],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: frameworkPackages,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'typeorm/*'],
            },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:util'],
            },
          ],
        },
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
