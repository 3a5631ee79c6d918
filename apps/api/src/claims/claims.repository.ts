import {
  CLAIM_DEAD_LETTERS_SQL,
  CLAIM_KNOWN_SQL,
  CLAIM_LINES_SQL,
  CLAIM_PATIENT_TOKENS_SQL,
  CLAIM_PEND_SQL,
  CLAIM_SOURCE_RECORDS_SQL,
  CLAIM_STATE_SQL,
  CLAIM_TIMELINE_SQL,
  claimDrillDownSql,
  claimFilterSql,
  denialDrillDownSql,
  type ClaimDrillDownRow,
  type ClaimFilter,
  type ClaimDeadLetterRow,
  type ClaimLineRow,
  type ClaimPendRow,
  type ClaimSourceRecordRow,
  type ClaimStateRow,
  type ClaimTimelineRow,
  type DenialDrillDownRow,
  type DenialSource,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads one claim, its history and its lineage, and the claims behind a denial cell: SQL in @claims/kpi. */
@Injectable()
export class ClaimsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async known(claimId: string): Promise<boolean> {
    const rows: Array<{ known: boolean }> = await this.dataSource.query(CLAIM_KNOWN_SQL, [claimId]);
    return rows[0]?.known === true;
  }

  async state(claimId: string): Promise<ClaimStateRow | null> {
    const rows: ClaimStateRow[] = await this.dataSource.query(CLAIM_STATE_SQL, [claimId]);
    return rows[0] ?? null;
  }

  lines(claimId: string): Promise<ClaimLineRow[]> {
    return this.dataSource.query(CLAIM_LINES_SQL, [claimId]);
  }

  async pend(claimId: string): Promise<ClaimPendRow | null> {
    const rows: ClaimPendRow[] = await this.dataSource.query(CLAIM_PEND_SQL, [claimId]);
    return rows[0] ?? null;
  }

  async patientTokens(claimId: string): Promise<string[]> {
    const rows: Array<{ patient_token: string }> = await this.dataSource.query(CLAIM_PATIENT_TOKENS_SQL, [claimId]);
    return rows.map((row) => row.patient_token);
  }

  timeline(claimId: string): Promise<ClaimTimelineRow[]> {
    return this.dataSource.query(CLAIM_TIMELINE_SQL, [claimId]);
  }

  sourceRecords(claimId: string): Promise<ClaimSourceRecordRow[]> {
    return this.dataSource.query(CLAIM_SOURCE_RECORDS_SQL, [claimId]);
  }

  deadLetters(claimId: string): Promise<ClaimDeadLetterRow[]> {
    return this.dataSource.query(CLAIM_DEAD_LETTERS_SQL, [claimId]);
  }

  /** One page of the claims behind a denial cell under one source rule (denialDrillDownSql). */
  denialClaims(
    source: DenialSource,
    month: string | null,
    filter: ClaimFilter,
    deniedOnly: boolean,
    afterClaimId: string,
    limit: number,
  ): Promise<DenialDrillDownRow[]> {
    const { sql, parameters } = claimFilterSql(filter, 5);
    return this.dataSource.query(denialDrillDownSql(source, sql), [
      month,
      afterClaimId,
      limit,
      deniedOnly,
      ...parameters,
    ]);
  }

  /** One page of the claims behind a payment or volume cell (claimDrillDownSql). */
  paymentClaims(
    month: string | null,
    filter: ClaimFilter,
    afterClaimId: string,
    limit: number,
  ): Promise<ClaimDrillDownRow[]> {
    const { sql, parameters } = claimFilterSql(filter, 4);
    return this.dataSource.query(claimDrillDownSql(sql), [month, afterClaimId, limit, ...parameters]);
  }
}
