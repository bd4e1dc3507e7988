export default {
  displayName: 'gateway-api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Every suite boots the whole Nest application; a shared 2-core machine can make that slow.
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/gateway-api',
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/**/*.int-spec.ts', '!src/main.ts', '!src/**/generated/**'],
  coverageThreshold: { global: { lines: 80 } },
};
