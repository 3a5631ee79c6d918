// Tier 2: against the real Kafka broker and Postgres that scripts/test.mjs provides.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  // deploy/ holds the checks of the deployment files; those that need Postgres (the dashboards' SQL) run here.
  testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts', '<rootDir>/deploy/**/*.integration-spec.ts'],
  testTimeout: 120000,
};
