// The operations consoles in real headless Chromium (Debian's /usr/bin/chromium through playwright-core), against the
// BUILT gateway and worker and the built JTS simulator as processes on 127.0.0.1 (the `integration` target builds the
// three first). One file, in band; screenshots in reports/console-e2e/.
export default {
  displayName: 'console-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
