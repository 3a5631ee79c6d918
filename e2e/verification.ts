// Moved into the harness (libs/harness/src/chaos/pipeline-settling.ts), where `npm run chaos` uses it too.
export { settledVerification, type Verification } from '@claims/harness';
