// Integration tests: run the BUILT simulator (dist/tools/rest-broker-simulator/main.js) as a process; the
// `integration` target builds it first. One file at a time: they bind real ports.
export default {
  displayName: 'rest-broker-simulator-integration',
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
