import {
  ACKNOWLEDGEMENT_CLOCK_SQL,
  OVERDUE_SUBMISSIONS_AS_OF_SQL,
  OVERDUE_SUBMISSIONS_AT_CLOCK_SQL,
  acknowledgementSlaParameters,
  type AcknowledgementClockRow,
  type AcknowledgementSlaPolicy,
  type OverdueSubmissionRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OverdueSubmissionsQuery } from './overdue-submissions.query';

/** Reads the overdue X12 submissions: the SQL lives in @claims/kpi, parameterised only. */
@Injectable()
export class OverdueSubmissionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The acknowledgement clock (event time); null before anything folded. */
  async clock(): Promise<string | null> {
    const [row] = (await this.dataSource.query(ACKNOWLEDGEMENT_CLOCK_SQL)) as AcknowledgementClockRow[];
    return row?.as_of ?? null;
  }

  /**
   * A page of overdue submissions as of `asOf`: at or after the clock every
   * answer folded counts (the indexed backlog read); before it, only answers
   * dated by `asOf` do (a walk of the history up to it).
   */
  page(
    query: OverdueSubmissionsQuery,
    asOf: string,
    clock: string,
    policy: AcknowledgementSlaPolicy,
    rows: number,
  ): Promise<OverdueSubmissionRow[]> {
    return this.dataSource.query(asOf >= clock ? OVERDUE_SUBMISSIONS_AT_CLOCK_SQL : OVERDUE_SUBMISSIONS_AS_OF_SQL, [
      asOf,
      ...acknowledgementSlaParameters(policy),
      query.payer,
      query.after?.submittedOn ?? null,
      query.after?.patientControlNumber ?? null,
      query.after?.billingNpi ?? null,
      rows,
    ]);
  }
}
