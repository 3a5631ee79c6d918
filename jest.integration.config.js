// Tier 2: against the real Kafka broker and Postgres that scripts/test.mjs provides.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts'],
  testTimeout: 120000,
};
