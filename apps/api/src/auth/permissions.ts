import type { ApiRole } from './api-role';

/**
 * What a route needs, named for what it does rather than for who usually does
 * it, so that a role's reach is read in one table (PERMISSION_ROLES) instead
 * of being implied by a ladder of roles.
 */
export const PERMISSIONS = [
  /** KPI figures, the work queue, the claims behind a figure: aggregates and claim ids, no member identifiers. */
  'kpis:read',
  /**
   * KPI figures of small cells as they are: without it, a figure counting 1
   * to API_SMALL_CELL_THRESHOLD−1 members (else claims) is withheld with its
   * dollars (docs/api/small-cell-suppression.md). Not a route's permission:
   * the small-cell interceptor and the PDF report ask it of the caller.
   */
  'kpis:small-cells',
  /** Ingested files and their accounting (records read, folded, dead-lettered; findings by code). */
  'ingestions:read',
  /** Dead letters by stage and reason (reasons name fields, never values). */
  'dead-letters:read',
  /** CSV exports of the lists above and the PDF KPI report (no member identifiers in any of them). */
  'exports:read',
  /**
   * One claim's detail (with the member identifiers and the adjudicators' pend
   * comments stored with it, PHI), its timeline and its lineage.
   */
  'claims:read',
  /** Uploading a source file through the API (POST /v1/ingestions), streamed to the ingestor's internal door. */
  'uploads:write',
  /** The replay plan of dead letters: the first step of re-publishing records. */
  'dead-letters:replay',
  /** Publishing a provider, group or location fix to the reference topics (clears pended claims). */
  'reference:write',
  /** Creating, listing and revoking API keys. */
  'api-keys:manage',
  /** The audit log: who did what, when and with what outcome (no PHI in it, but it maps people to claims read). */
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Who may do what. analyst: KPIs, queue, reports and exports without member
 * identifiers, small cells withheld; manager: every read, including claim
 * detail and small cells; ingest: uploads and the accounting of what it uploaded (a client that cannot see whether
 * its file folded cannot retry sensibly), nothing else; admin: everything,
 * including dead-letter replay, reference fixes, keys and the audit log.
 */
export const PERMISSION_ROLES: Readonly<Record<Permission, readonly ApiRole[]>> = {
  'kpis:read': ['analyst', 'manager', 'admin'],
  'kpis:small-cells': ['manager', 'admin'],
  'ingestions:read': ['analyst', 'manager', 'ingest', 'admin'],
  'dead-letters:read': ['analyst', 'manager', 'admin'],
  'exports:read': ['analyst', 'manager', 'admin'],
  'claims:read': ['manager', 'admin'],
  'uploads:write': ['ingest', 'admin'],
  'dead-letters:replay': ['admin'],
  'reference:write': ['admin'],
  'api-keys:manage': ['admin'],
  'audit:read': ['admin'],
};

export function roleMay(role: ApiRole, permission: Permission): boolean {
  return PERMISSION_ROLES[permission].includes(role);
}

/**
 * The permission older controllers name by a role (`@RequireRole('analyst')`):
 * what that role's reads were before roles stopped being a ladder.
 */
export const LEGACY_ROLE_PERMISSION: Readonly<Record<'analyst' | 'manager', Permission>> = {
  analyst: 'kpis:read',
  manager: 'claims:read',
};
