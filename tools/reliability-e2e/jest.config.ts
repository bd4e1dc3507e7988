// The reliability suite: the BUILT gateway and worker and the built JTS simulator as real processes on 127.0.0.1,
// the broker stalled, killed and restarted under load (the `integration` target builds the three first). In band.
export default {
  displayName: 'reliability-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
