// The platform scaled out, on real processes: the BUILT gateway and worker (several of each), the built JTS
// simulator, Redis and PostgreSQL from Debian's packages, all on 127.0.0.1 and free ports. The `integration`
// target builds the three apps first. One file at a time: each starts a dozen processes on a 2-core machine.
export default {
  displayName: 'scale-out-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 300_000,
};
