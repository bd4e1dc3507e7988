// Integration tests against the REAL REST broker simulator process (dist/tools/rest-broker-simulator/main.js,
// built by the rest-broker-simulator:build dependency of the `integration` target) and, for the shared token
// store, a real redis-server. One file at a time: each starts its own processes on free loopback ports.
export default {
  displayName: 'broker-rest-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
