/**
 * Integration tests: the REAL JTS simulator and the REAL built worker as child processes (SIGKILL included).
 * Needs `nx run jts-simulator:build` and `nx run execution-worker:build` (the `integration` target depends on both).
 * One file at a time: each starts its own processes on a shared 2-core machine.
 */
export default {
  displayName: 'execution-worker-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 300_000,
  maxWorkers: 1,
};
