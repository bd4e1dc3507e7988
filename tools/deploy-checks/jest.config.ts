export default {
  displayName: 'deploy-checks',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/deploy-checks',
  collectCoverageFrom: ['src/lib/**/*.ts', '!src/**/*.spec.ts'],
  coverageThreshold: { global: { lines: 80 } },
};
