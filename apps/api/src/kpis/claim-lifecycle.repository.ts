import {
  CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL,
  claimIdFilterSql,
  claimLifecycleAcknowledgementSql,
  claimLifecycleFirstPassSql,
  claimLifecyclePayerLagSql,
  claimLifecycleUnmatchedSql,
  type ClaimLifecycleAcknowledgementRow,
  type ClaimLifecycleFirstPassRow,
  type ClaimLifecyclePayerLagRow,
  type ClaimLifecycleSetAcknowledgementRow,
  type ClaimLifecycleUnmatchedRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClaimLifecycleQuery } from './claim-lifecycle.query';

/** An 837's claim id is its patient control number: the claim filters keep lifecycle rows by it. */
const LIFECYCLE_CLAIM_ID = 'l.patient_control_number';

/** Reads the claim lifecycle KPIs: the SQL lives in @claims/kpi, parameterised only. */
@Injectable()
export class ClaimLifecycleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async firstPass(query: ClaimLifecycleQuery): Promise<ClaimLifecycleFirstPassRow | undefined> {
    const rows: ClaimLifecycleFirstPassRow[] = await this.submittedClaims(claimLifecycleFirstPassSql, query);
    return rows[0];
  }

  async acknowledgements(query: ClaimLifecycleQuery): Promise<ClaimLifecycleAcknowledgementRow | undefined> {
    const rows: ClaimLifecycleAcknowledgementRow[] = await this.submittedClaims(
      claimLifecycleAcknowledgementSql,
      query,
    );
    return rows[0];
  }

  /** A 999 answers a transaction set, not a claim: only the date range narrows it. */
  async setAcknowledgements(query: ClaimLifecycleQuery): Promise<ClaimLifecycleSetAcknowledgementRow | undefined> {
    const rows: ClaimLifecycleSetAcknowledgementRow[] = await this.dataSource.query(
      CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL,
      [query.from, query.to],
    );
    return rows[0];
  }

  payerLag(query: ClaimLifecycleQuery): Promise<ClaimLifecyclePayerLagRow[]> {
    return this.submittedClaims(claimLifecyclePayerLagSql, query);
  }

  async unmatched(query: ClaimLifecycleQuery): Promise<ClaimLifecycleUnmatchedRow | undefined> {
    const { sql, parameters } = claimIdFilterSql(LIFECYCLE_CLAIM_ID, query.filter, 2);
    const rows: ClaimLifecycleUnmatchedRow[] = await this.dataSource.query(claimLifecycleUnmatchedSql(sql), [
      query.payer,
      ...parameters,
    ]);
    return rows[0];
  }

  /** A query over submitted claims: $1 from, $2 to, $3 payer, then the claim filters. */
  private submittedClaims<Row>(sqlOf: (claimFilter: string) => string, query: ClaimLifecycleQuery): Promise<Row[]> {
    const { sql, parameters } = claimIdFilterSql(LIFECYCLE_CLAIM_ID, query.filter, 4);
    return this.dataSource.query(sqlOf(sql), [query.from, query.to, query.payer, ...parameters]);
  }
}
