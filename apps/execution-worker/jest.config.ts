export default {
  displayName: 'execution-worker',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The app logs through Nest's Logger; tests assert behaviour, not log lines.
  setupFiles: ['<rootDir>/jest.setup.ts'],
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/execution-worker',
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/**/*.int-spec.ts',
    '!src/main.ts',
    '!src/**/generated/**',
  ],
  coverageThreshold: { global: { lines: 80 } },
};
