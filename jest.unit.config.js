// Tier 1: pure unit tests next to the code; no broker, no database. deploy/ holds the checks of
// the deployment files (alert rules, dashboards, compose), run with promtool and JSON schemas.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'unit',
  testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts', '<rootDir>/deploy/**/*.spec.ts'],
};
