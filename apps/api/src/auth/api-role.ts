/**
 * analyst: reads KPIs and the work queue; manager: also exports; admin: also
 * uploads and operates the pipeline. Each role includes the ones before it.
 */
export const API_ROLES = ['analyst', 'manager', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function roleSatisfies(held: ApiRole, required: ApiRole): boolean {
  return API_ROLES.indexOf(held) >= API_ROLES.indexOf(required);
}
