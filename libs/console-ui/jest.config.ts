export default {
  displayName: 'console-ui',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // The browser kit is plain ES modules; ts-jest turns them into CommonJS for the tests of its pure parts.
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/console-ui',
  // The element builder is tested on a minimal fake DOM; the widgets and page scripts in headless Chromium (console-e2e).
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/index.ts',
    'assets/dom.js',
    'assets/format.js',
    'assets/event-stream.js',
    'assets/api-client.js',
  ],
  coverageThreshold: { global: { lines: 80 } },
};
