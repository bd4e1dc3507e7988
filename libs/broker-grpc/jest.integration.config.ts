// Integration tests against the REAL JTS simulator process (dist/tools/jts-simulator/main.js, built by
// the jts-simulator:build dependency of the `integration` target). One file at a time: each starts its
// own simulator on free ports.
export default {
  displayName: 'broker-grpc-integration',
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
