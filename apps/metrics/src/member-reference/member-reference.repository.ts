import type { MemberReferenceEvent } from '@claims/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RECORD_OUTCOMES_SQL, sourceRowsOf } from '../record-accounting/source-rows';
import {
  foldWithOffset,
  type OffsetTrackedBatch,
  type OffsetTrackedFoldOutcome,
} from '../topic-fold/offset-tracked-fold';

export type MemberReferenceBatch = OffsetTrackedBatch<MemberReferenceEvent>;

/** The period a reference record describes: its coverage year, or 'undated' when the source states none. */
export function referencePeriod(event: MemberReferenceEvent): string {
  return event.member.referenceYear === null ? 'undated' : String(event.member.referenceYear);
}

/**
 * Folds member reference records into reference_member, exactly once in
 * effect, as the claim fold does: the consumed offset, the processed event
 * ids, the member rows and the per-file accounting rows commit in one
 * transaction. A record seen before (a replayed file) is a duplicate: it is
 * counted for its file and changes nothing, so replaying an old file never
 * rolls a member back to an older record.
 */
@Injectable()
export class MemberReferenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  foldPartitionBatch(batch: MemberReferenceBatch): Promise<OffsetTrackedFoldOutcome> {
    return foldWithOffset(this.dataSource, batch, async (manager, candidates) => {
      const fresh = await this.claimFirstSeen(manager, candidates);
      await this.recordOutcomes(manager, candidates, new Set(fresh));
      await this.upsertMembers(manager, fresh);
      return { folded: fresh.length };
    });
  }

  /** Records the event ids; returns, in order, the events whose id was not yet known (first copy only). */
  private async claimFirstSeen(
    manager: EntityManager,
    events: readonly MemberReferenceEvent[],
  ): Promise<MemberReferenceEvent[]> {
    if (events.length === 0) return [];
    const rows: Array<{ event_id: string }> = await manager.query(
      `INSERT INTO processed_member_reference (event_id)
       SELECT * FROM unnest($1::uuid[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [events.map((event) => event.eventId)],
    );
    const inserted = new Set(rows.map((row) => row.event_id));
    return events.filter((event) => inserted.delete(event.eventId));
  }

  /**
   * One accounting row per source row, so a beneficiary file is accounted
   * for like a claim file. As in the claim fold, a record dead-lettered
   * before whose replayed dead letter folds now moves to folded (else the
   * file would keep it as an open, replayable dead letter); nothing else is
   * overwritten. DISTINCT ON: the update may name a row once per statement.
   */
  private async recordOutcomes(
    manager: EntityManager,
    candidates: readonly MemberReferenceEvent[],
    fresh: ReadonlySet<MemberReferenceEvent>,
  ): Promise<void> {
    if (candidates.length === 0) return;
    const rows = sourceRowsOf(candidates, (event) => event.lineage);
    await manager.query(RECORD_OUTCOMES_SQL, [
      rows.fileIds,
      rows.recordNumbers,
      rows.items.map((event) => (fresh.has(event) ? 'folded' : 'duplicate')),
    ]);
  }

  private async upsertMembers(manager: EntityManager, events: readonly MemberReferenceEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One row per member and period: within a batch the later record (partition order) wins, as across batches.
    const latest = [
      ...new Map(events.map((event) => [`${event.member.patientToken}|${referencePeriod(event)}`, event])).values(),
    ];
    const column = <T>(pick: (event: MemberReferenceEvent) => T): T[] => latest.map(pick);
    await manager.query(
      `INSERT INTO reference_member (patient_token, reference_period, birth_date, death_date, sex, race_code,
         ssa_state_code, ssa_county_code, coverage_months_part_a, coverage_months_part_b, coverage_months_hmo,
         coverage_months_part_d, chronic_conditions, layout, event_id, lineage_file_id, lineage_record_number)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::smallint[], $10::smallint[], $11::smallint[], $12::smallint[],
                            $13::jsonb[], $14::text[], $15::uuid[], $16::text[], $17::integer[])
       ON CONFLICT (patient_token, reference_period) DO UPDATE SET
         birth_date = EXCLUDED.birth_date, death_date = EXCLUDED.death_date, sex = EXCLUDED.sex,
         race_code = EXCLUDED.race_code, ssa_state_code = EXCLUDED.ssa_state_code,
         ssa_county_code = EXCLUDED.ssa_county_code, coverage_months_part_a = EXCLUDED.coverage_months_part_a,
         coverage_months_part_b = EXCLUDED.coverage_months_part_b, coverage_months_hmo = EXCLUDED.coverage_months_hmo,
         coverage_months_part_d = EXCLUDED.coverage_months_part_d, chronic_conditions = EXCLUDED.chronic_conditions,
         layout = EXCLUDED.layout, event_id = EXCLUDED.event_id, lineage_file_id = EXCLUDED.lineage_file_id,
         lineage_record_number = EXCLUDED.lineage_record_number, updated_at = now()`,
      [
        column((event) => event.member.patientToken),
        column(referencePeriod),
        column((event) => event.member.birthDate),
        column((event) => event.member.deathDate),
        column((event) => event.member.sex),
        column((event) => event.member.raceCode),
        column((event) => event.member.ssaStateCode),
        column((event) => event.member.ssaCountyCode),
        column((event) => event.member.coverageMonths.partA),
        column((event) => event.member.coverageMonths.partB),
        column((event) => event.member.coverageMonths.hmo),
        column((event) => event.member.coverageMonths.partD),
        column((event) => JSON.stringify(event.member.chronicConditions)),
        column((event) => event.layout),
        column((event) => event.eventId),
        column((event) => event.lineage.fileId),
        column((event) => event.lineage.recordNumber),
      ],
    );
  }
}
