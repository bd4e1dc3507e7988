// Integration tests against the REAL JTS and REST simulator processes (dist/tools/*/main.js, built by
// their build dependencies of the `integration` target). One file at a time: each starts its
// own simulator on free ports.
export default {
  displayName: 'broker-transport-integration',
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
