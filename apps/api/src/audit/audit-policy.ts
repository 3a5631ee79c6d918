import { createHash } from 'node:crypto';
import type { Permission } from '../auth/permissions';

/**
 * Reads that are audited although they change nothing: a claim's detail and
 * lineage carry member identifiers (PHI), the replay plan is the first step of
 * re-publishing records, and the key list names who holds access. Every
 * other audited request is one that changes state (any method but GET), or
 * an export: a read answered as a file (CSV or PDF) that leaves the API.
 */
const AUDITED_READS: ReadonlySet<Permission> = new Set<Permission>([
  'claims:read',
  'dead-letters:replay',
  'api-keys:manage',
]);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The media types of an export: what a spreadsheet or a reader opens, outside the API's reach. */
const EXPORT_MEDIA_TYPES = ['text/csv', 'application/pdf'] as const;

/** Whether an answer's Content-Type makes it an export. */
export function isExportMediaType(contentType: string | number | readonly string[] | undefined): boolean {
  if (typeof contentType !== 'string') return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXPORT_MEDIA_TYPES.some((exported) => exported === mediaType);
}

/**
 * Whether a request to a route guarded by `permission` (null: a public route)
 * writes an audit row; `exported`: it was answered as an export.
 */
export function isAudited(method: string, permission: Permission | null, exported = false): boolean {
  if (permission === null) return false;
  return !READ_METHODS.has(method.toUpperCase()) || AUDITED_READS.has(permission) || exported;
}

export type AuditTargetKind = 'claim' | 'api-key' | 'reference-kind' | 'file' | 'ingest-job';

/** What a request acted on, as the row keeps it: never a raw claim id. */
export interface AuditTarget {
  kind: AuditTargetKind;
  id: string;
}

/**
 * A claim id as the audit log keeps it: its SHA-256, so rows about the same
 * claim can be found together (hash the id you look for) while the log holds
 * no identifier a reader could take to the source system.
 */
export function claimIdDigest(claimId: string): string {
  return `sha256:${createHash('sha256').update(claimId, 'utf8').digest('hex')}`;
}

/** Path parameters that name a target, first match wins; claim ids hashed. */
const TARGET_PARAMETERS: ReadonlyArray<{ name: string; kind: AuditTargetKind; keep: (value: string) => string }> = [
  { name: 'claimId', kind: 'claim', keep: claimIdDigest },
  { name: 'keyId', kind: 'api-key', keep: (value) => value },
  { name: 'kind', kind: 'reference-kind', keep: (value) => value },
  { name: 'fileId', kind: 'file', keep: (value) => value },
  { name: 'ingestId', kind: 'ingest-job', keep: (value) => value },
];

/** The longest target kept: ids this API makes are UUIDs and SHA-256s; anything longer is not one of them. */
const MAX_TARGET_LENGTH = 128;

/**
 * The target of a request, from its path parameters or what the handler
 * named (`named`: an upload's job id). Parameters that are not identifiers
 * of ours (a claim id aside, which is hashed) are kept only when short and
 * printable, so a crafted path cannot write free text into the log.
 */
export function auditTargetOf(params: Readonly<Record<string, string | string[]>>, named: unknown): AuditTarget | null {
  for (const parameter of TARGET_PARAMETERS) {
    const value = params[parameter.name];
    if (typeof value !== 'string') continue;
    const kept = parameter.keep(value);
    if (kept.length > MAX_TARGET_LENGTH || !/^[\x21-\x7e]+$/.test(kept)) return null;
    return { kind: parameter.kind, id: kept };
  }
  if (typeof named === 'string' && /^[0-9a-f-]{36}$/.test(named)) return { kind: 'ingest-job', id: named };
  return null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id when it is a plain token (it is echoed and stored), else null: one is made. */
export function acceptedRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : null;
}
