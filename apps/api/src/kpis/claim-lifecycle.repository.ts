import {
  CLAIM_LIFECYCLE_ACKNOWLEDGEMENT_SQL,
  CLAIM_LIFECYCLE_FIRST_PASS_SQL,
  CLAIM_LIFECYCLE_PAYER_LAG_SQL,
  CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL,
  CLAIM_LIFECYCLE_UNMATCHED_SQL,
  type ClaimLifecycleAcknowledgementRow,
  type ClaimLifecycleFirstPassRow,
  type ClaimLifecyclePayerLagRow,
  type ClaimLifecycleSetAcknowledgementRow,
  type ClaimLifecycleUnmatchedRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClaimLifecycleQuery } from './claim-lifecycle.query';

/** Reads the claim lifecycle KPIs: the SQL lives in @claims/kpi, parameterised only. */
@Injectable()
export class ClaimLifecycleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async firstPass(query: ClaimLifecycleQuery): Promise<ClaimLifecycleFirstPassRow | undefined> {
    const rows: ClaimLifecycleFirstPassRow[] = await this.dataSource.query(CLAIM_LIFECYCLE_FIRST_PASS_SQL, [
      query.from,
      query.to,
      query.payer,
    ]);
    return rows[0];
  }

  async acknowledgements(query: ClaimLifecycleQuery): Promise<ClaimLifecycleAcknowledgementRow | undefined> {
    const rows: ClaimLifecycleAcknowledgementRow[] = await this.dataSource.query(CLAIM_LIFECYCLE_ACKNOWLEDGEMENT_SQL, [
      query.from,
      query.to,
      query.payer,
    ]);
    return rows[0];
  }

  async setAcknowledgements(query: ClaimLifecycleQuery): Promise<ClaimLifecycleSetAcknowledgementRow | undefined> {
    const rows: ClaimLifecycleSetAcknowledgementRow[] = await this.dataSource.query(
      CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL,
      [query.from, query.to],
    );
    return rows[0];
  }

  payerLag(query: ClaimLifecycleQuery): Promise<ClaimLifecyclePayerLagRow[]> {
    return this.dataSource.query(CLAIM_LIFECYCLE_PAYER_LAG_SQL, [query.from, query.to, query.payer]);
  }

  async unmatched(query: ClaimLifecycleQuery): Promise<ClaimLifecycleUnmatchedRow | undefined> {
    const rows: ClaimLifecycleUnmatchedRow[] = await this.dataSource.query(CLAIM_LIFECYCLE_UNMATCHED_SQL, [
      query.payer,
    ]);
    return rows[0];
  }
}
