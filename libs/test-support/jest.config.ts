export default {
  displayName: 'test-support',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/test-support',
  // The launchers of built apps and of the two-transport bench need `dist/` and run in the integration suites that
  // use them (every app's and tool's), not here.
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/**/*.int-spec.ts',
    '!src/index.ts',
    '!src/**/generated/**',
    '!src/lib/broker-bench.ts',
    '!src/lib/built-app-process.ts',
  ],
  coverageThreshold: { global: { lines: 80 } },
};
