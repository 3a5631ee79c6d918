import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '../auth/bearer-token.guard';
import { AuditRepository, type AuditRow } from './audit.repository';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** The cursor is opaque to clients: the last row's id, base64url, so its form can change. */
const encodeCursor = (auditId: string): string => Buffer.from(`a:${auditId}`, 'utf8').toString('base64url');

/** audit_event.audit_id is a bigint: an id past it names no row, and Postgres would refuse it (a 500). */
const MAX_AUDIT_ID = 2n ** 63n - 1n;

function decodeCursor(cursor: string): bigint | null {
  const match = /^a:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match?.[1] === undefined) return null;
  const auditId = BigInt(match[1]);
  return auditId <= MAX_AUDIT_ID ? auditId : null;
}

const AuditQuerySchema = z.strictObject({
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(MAX_PAGE)).optional(),
  cursor: z.string().min(1).max(64).optional(),
});

export interface AuditEventView {
  auditId: string;
  occurredAt: string;
  requestId: string;
  /** Null when the request carried no valid credential. */
  principal: { subject: string | null; role: string | null; via: string | null } | null;
  method: string;
  /** The route template, e.g. `/v1/claims/:claimId`. */
  route: string;
  /** What was acted on; a claim only as `sha256:<hex>` of its id. */
  target: { kind: string; id: string } | null;
  status: number;
}

export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const viewOf = (row: AuditRow): AuditEventView => ({
  auditId: row.audit_id,
  occurredAt: row.occurred_at.toISOString(),
  requestId: row.request_id,
  principal:
    row.principal_role === null && row.principal_subject === null
      ? null
      : { subject: row.principal_subject, role: row.principal_role, via: row.principal_via },
  method: row.method,
  route: row.route,
  target: row.target_kind === null || row.target_id === null ? null : { kind: row.target_kind, id: row.target_id },
  status: row.status,
});

/** The audit log, newest first, for admins. */
@Controller('v1/audit')
@RequirePermission('audit:read')
export class AuditController {
  constructor(private readonly repository: AuditRepository) {}

  /** One page of audit events, newest first (`limit`, default 100, at most 1000), and the cursor of the next. */
  @Get()
  @ApiQuery({ name: 'limit', required: false, type: Number, description: 'rows per page, 1 to 1000; default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'the nextCursor of the previous page' })
  async list(@Query() query: Record<string, unknown>): Promise<AuditPage> {
    const parsed = AuditQuerySchema.safeParse(query);
    const before = parsed.success && parsed.data.cursor !== undefined ? decodeCursor(parsed.data.cursor) : null;
    if (!parsed.success || (parsed.data.cursor !== undefined && before === null)) {
      const fields = parsed.success
        ? ['cursor']
        : [
            ...new Set(
              parsed.error.issues.flatMap((issue) =>
                issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')],
              ),
            ),
          ];
      throw new BadRequestException({ code: 'REQUEST_INVALID', fields });
    }
    const limit = parsed.data.limit ?? DEFAULT_PAGE;
    // One row more than asked says whether another page follows.
    const rows = await this.repository.page(before, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      events: page.map(viewOf),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.audit_id) : null,
    };
  }
}
