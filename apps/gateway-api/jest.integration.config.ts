// End-to-end tests: the real AppModule against the real JTS simulator process (built by the jts-simulator
// build target this project's `integration` target depends on), on loopback, one suite at a time.
export default {
  displayName: 'gateway-api-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  // Processes start, stop and restart; a shared 2-core machine makes that slow. Every wait is bounded.
  testTimeout: 120_000,
};
