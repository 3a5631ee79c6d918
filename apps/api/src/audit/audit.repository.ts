import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiPrincipal } from '../auth/bearer-token.guard';
import type { AuditTarget } from './audit-policy';

/** One request as the audit log keeps it. */
export interface AuditEntry {
  requestId: string;
  principal: ApiPrincipal | null;
  method: string;
  route: string;
  target: AuditTarget | null;
  status: number;
}

export interface AuditRow {
  audit_id: string;
  occurred_at: Date;
  request_id: string;
  principal_subject: string | null;
  principal_role: string | null;
  principal_via: string | null;
  method: string;
  route: string;
  target_kind: string | null;
  target_id: string | null;
  status: number;
}

/** The audit_event table, appended to and read newest first; parameterised SQL only. */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_event (request_id, principal_subject, principal_role, principal_via, method, route,
                                target_kind, target_id, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.requestId,
        entry.principal?.subject.slice(0, 200) ?? null,
        entry.principal?.role ?? null,
        entry.principal?.via ?? null,
        entry.method,
        entry.route.slice(0, 200),
        entry.target?.kind ?? null,
        entry.target?.id ?? null,
        entry.status,
      ],
    );
  }

  /** Up to `limit` rows older than `before` (an audit id; null: from the newest), newest first. */
  page(before: bigint | null, limit: number): Promise<AuditRow[]> {
    return this.dataSource.query(
      `SELECT audit_id::text AS audit_id, occurred_at, request_id, principal_subject, principal_role, principal_via,
              method, route, target_kind, target_id, status
         FROM audit_event
        WHERE ($1::bigint IS NULL OR audit_id < $1::bigint)
        ORDER BY audit_id DESC
        LIMIT $2`,
      [before === null ? null : before.toString(), limit],
    );
  }
}
