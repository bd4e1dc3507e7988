// Integration tests against a REAL redis-server (Debian's package; .ci/run installs it), started on a
// free port by @qts/test-support. One file at a time: they start processes and ports.
export default {
  displayName: 'rate-limit-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 60_000,
};
