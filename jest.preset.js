// Tests run in UTC; the KRX calendar converts to KST explicitly where it needs to.
// Set before jest forks its workers so that every worker inherits it.
process.env.TZ = 'UTC';

const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  coverageReporters: ['text-summary', 'lcov', 'json-summary'],
};
