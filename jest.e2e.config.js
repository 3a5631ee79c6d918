// Tier 3: the five services as separate processes, built to dist/, against the real broker and Postgres.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'e2e',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  testTimeout: 600000,
};
