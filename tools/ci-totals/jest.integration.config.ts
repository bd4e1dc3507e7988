// Real runs: Nx in a throw-away workspace with the task-results plugin, jest with a coverage threshold.
export default {
  displayName: 'ci-totals-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
