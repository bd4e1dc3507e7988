// Integration tests: spawn the BUILT simulator (dist/tools/jts-simulator/main.js); the `integration`
// target depends on jts-simulator:build. One file at a time: they start real processes and ports.
export default {
  displayName: 'test-support-integration',
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
