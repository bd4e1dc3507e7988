// The rendered overlays (kubectl kustomize) against the Kubernetes schemas and the invariants, and the production
// bundle the images copy, started from a directory outside the repository and probed as the manifests probe it.
export default {
  displayName: 'deploy-checks-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
