/** The roles are a contract with the token issuer (`npm run token`): one list, in @claims/contracts. */
export { API_ROLES, isApiRole, type ApiRole } from '@claims/contracts';
