// The security suite: the BUILT gateway and worker and the built JTS simulator as real processes on 127.0.0.1,
// probed as an attacker and an SRE would (the `integration` target builds the three first). One file, in band.
export default {
  displayName: 'security-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
