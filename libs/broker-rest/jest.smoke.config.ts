// Opt-in smoke tests against the brokers' PAPER (모의투자) servers with credentials from the environment
// (`npx nx run broker-rest:smoke`). Never part of `npm test`. Without credentials each suite prints
// "NOT RUN" and is reported as skipped, never as passed.
export default {
  displayName: 'broker-rest-smoke',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.smoke-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
