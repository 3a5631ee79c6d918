import type { ProviderAdjustmentEvent } from '@claims/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RECORD_OUTCOMES_SQL } from '../record-accounting/source-rows';
import {
  foldWithOffset,
  type OffsetTrackedBatch,
  type OffsetTrackedFoldOutcome,
} from '../topic-fold/offset-tracked-fold';

export type ProviderAdjustmentBatch = OffsetTrackedBatch<ProviderAdjustmentEvent>;

/**
 * Folds 835 PLB adjustments into provider_adjustment, exactly once in
 * effect, as the claim fold does: the consumed offset, the adjustment rows
 * (keyed by event id, so a copy seen before inserts nothing) and the per-file
 * accounting rows commit in one transaction.
 */
@Injectable()
export class ProviderAdjustmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  foldPartitionBatch(batch: ProviderAdjustmentBatch): Promise<OffsetTrackedFoldOutcome> {
    return foldWithOffset(this.dataSource, batch, async (manager, candidates) => {
      const fresh = new Set(await this.insertFirstSeen(manager, candidates, batch.partition));
      await this.recordOutcomes(manager, candidates, fresh);
      return { folded: fresh.size };
    });
  }

  /** Inserts the adjustments not yet known; returns those inserted (the first copy of each event id). */
  private async insertFirstSeen(
    manager: EntityManager,
    events: readonly ProviderAdjustmentEvent[],
    partition: number,
  ): Promise<ProviderAdjustmentEvent[]> {
    if (events.length === 0) return [];
    const column = <T>(pick: (event: ProviderAdjustmentEvent) => T): T[] => events.map(pick);
    const rows: Array<{ event_id: string }> = await manager.query(
      `INSERT INTO provider_adjustment (event_id, occurred_on, payer_id, payer_name, payee_npi, payee_tax_id,
         trace_number, payment_date, production_date, provider_id, fiscal_period_date, reason_code, reference,
         amount_cents, layout, file_id, record_number, record_sha256, segment_number, element_position,
         kafka_partition)
       SELECT *, $21::integer FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::date[], $9::date[], $10::text[], $11::date[], $12::text[], $13::text[],
                            $14::bigint[], $15::text[], $16::text[], $17::integer[], $18::text[], $19::integer[],
                            $20::smallint[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [
        column((event) => event.eventId),
        column((event) => event.occurredAt),
        column((event) => event.payment.payerId),
        column((event) => event.payment.payerName),
        column((event) => event.payment.payeeNpi),
        column((event) => event.payment.payeeTaxId),
        column((event) => event.payment.traceNumber),
        column((event) => event.payment.paymentDate),
        column((event) => event.payment.productionDate),
        column((event) => event.adjustment.providerId),
        column((event) => event.adjustment.fiscalPeriodDate),
        column((event) => event.adjustment.reasonCode),
        column((event) => event.adjustment.reference),
        column((event) => event.adjustment.amountCents),
        column((event) => event.layout),
        column((event) => event.lineage.fileId),
        column((event) => event.lineage.recordNumber),
        column((event) => event.lineage.recordSha256),
        column((event) => event.adjustment.segmentNumber),
        column((event) => event.adjustment.elementPosition),
        partition,
      ],
    );
    // A producer retry can put two copies of one event in a batch: only the first counts as inserted.
    const inserted = new Set(rows.map((row) => row.event_id));
    return events.filter((event) => inserted.delete(event.eventId));
  }

  /**
   * The accounting outcome of a record whose 835 holds PLBs and no claim:
   * folded for the first copy, duplicate for a replay. A record that also
   * yields claims is the claim fold's to account for (`accountsForRecord`
   * false), so it counts once and its quality tally stays the claims'. As in
   * the claim fold, a record dead-lettered before (an X12_NO_CLAIMS letter
   * of an older build, replayed) moves to folded; nothing else is overwritten.
   */
  private async recordOutcomes(
    manager: EntityManager,
    candidates: readonly ProviderAdjustmentEvent[],
    fresh: ReadonlySet<ProviderAdjustmentEvent>,
  ): Promise<void> {
    const accounting = candidates.filter((event) => event.accountsForRecord);
    if (accounting.length === 0) return;
    await manager.query(RECORD_OUTCOMES_SQL, [
      accounting.map((event) => event.lineage.fileId),
      accounting.map((event) => event.lineage.recordNumber),
      accounting.map((event) => (fresh.has(event) ? 'folded' : 'duplicate')),
    ]);
  }
}
