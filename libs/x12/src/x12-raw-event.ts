import type { RawClaimRecord } from '@claims/contracts';
import { rawRecordEvent } from '@claims/source-layouts';
import { transactionSetText, type X12TransactionSet } from './x12-envelope';
import { x12RecordContextOf, type X12Layout } from './x12-layouts';

/**
 * The raw event of one transaction set, as the ingestor publishes it: the
 * set's text (ST to SE), its layout, and its envelope as the header, so the
 * normalizer reads it without the rest of the file. A transaction set holds
 * many claims: it has no one claim id, and is keyed by its bytes.
 */
export function x12RawRecordEvent(
  transaction: X12TransactionSet,
  layout: X12Layout,
  origin: { source: string; fileId: string; publishedAt: string; record?: string },
): RawClaimRecord {
  return rawRecordEvent({
    layout,
    record: origin.record ?? transactionSetText(transaction),
    recordNumber: transaction.recordNumber,
    source: origin.source,
    fileId: origin.fileId,
    publishedAt: origin.publishedAt,
    claimId: null,
    header: JSON.stringify(x12RecordContextOf(transaction)),
  });
}
