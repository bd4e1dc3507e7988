export default {
  displayName: 'ci-totals',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/ci-totals',
  collectCoverageFrom: ['src/**/*.ts', 'src/**/*.js', '!src/**/*.spec.ts', '!src/**/*.int-spec.ts', '!src/main.ts'],
  coverageThreshold: { global: { lines: 80 } },
};
