import { z } from 'zod';
import { DataQualityFindingSchema, LineageSchema, SourceLayoutSchema } from './claim-events';
import { deriveEventId } from './event-id';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * The payment a PLB belongs to (005010X221A1 header): a provider-level
 * adjustment is the payment's, never a claim's, so it is named by the
 * remittance's payer, payee and trace number.
 */
export const RemittancePaymentSchema = z.object({
  /** 1000A REF*2U: the payer's identification number. */
  payerId: z.string().nullable(),
  /** 1000A N1*PR: the payer's name. */
  payerName: z.string().nullable(),
  /** 1000B N1*PE*XX: the payee's NPI. */
  payeeNpi: z.string().nullable(),
  /** 1000B N1*PE*FI or REF*TJ: the payee's tax id, when the payee is named by it. */
  payeeTaxId: z.string().nullable(),
  /** TRN02: the check or EFT trace number that ties the remittance to the money. */
  traceNumber: z.string().nullable(),
  /** BPR16: when the payment is effective; null when the 835 moves no money or the date is no date. */
  paymentDate: IsoDate.nullable(),
  /** DTM*405: when the payer produced the remittance. */
  productionDate: IsoDate.nullable(),
});

/** One PLB adjustment pair (PLB03/04 .. PLB13/14). */
export const ProviderAdjustmentSchema = z.object({
  /** PLB01: the provider the adjustment applies to (an NPI or a tax id, as the payer chose). */
  providerId: z.string(),
  /** PLB02: the last day of the provider's fiscal period. */
  fiscalPeriodDate: IsoDate.nullable(),
  /** PLBxx-1: the adjustment reason code (L6 interest, WO overpayment recovery, FB forward balance, ...). */
  reasonCode: z.string().min(1),
  /** PLBxx-2: the payer's reference for it (a claim's control number for WO, an account for FB, ...). */
  reference: z.string().nullable(),
  /** PLBxx+1, as the guide signs it: positive reduces the payment, negative adds to it. */
  amountCents: z.number().int(),
  /** Where the pair stood: the PLB segment's number in the file and the element of its reason (3, 5, .. 13). */
  segmentNumber: z.number().int().positive(),
  elementPosition: z.number().int().min(3).max(13),
});
export type ProviderAdjustmentDetail = z.infer<typeof ProviderAdjustmentSchema>;

/**
 * claims.provider-adjustments.v1: one provider-level adjustment of an 835
 * (PLB), keyed by PLB01. It goes straight from the normalizer to the metrics
 * service: there is no claim to enrich or judge.
 */
export const ProviderAdjustmentEventSchema = z.object({
  schemaVersion: z.literal(1),
  eventId: z.uuid(),
  rawEventId: z.uuid(),
  layout: SourceLayoutSchema,
  lineage: LineageSchema,
  publishedAt: z.iso.datetime(),
  /** Event time: the payment date, else the production date, else PLB02; what the KPI's date range reads. */
  occurredAt: IsoDate,
  /**
   * Whether the per-file accounting of the raw record is this event's to
   * write: true only when the transaction set yields no claim event (a
   * recoupment of PLBs alone). Otherwise the claims' fold accounts for the
   * record, and the record counts once whatever order the two arrive in.
   */
  accountsForRecord: z.boolean(),
  payment: RemittancePaymentSchema,
  adjustment: ProviderAdjustmentSchema,
  dataQuality: z.array(DataQualityFindingSchema),
});
export type ProviderAdjustmentEvent = z.infer<typeof ProviderAdjustmentEventSchema>;

/**
 * A provider adjustment's id: the raw event's and the pair's place in it
 * (segment number and element), so a replayed or redelivered 835 yields the
 * same ids and the fold recognises them.
 */
export function providerAdjustmentEventId(rawEventId: string, segmentNumber: number, elementPosition: number): string {
  return deriveEventId('claims.provider-adjustments', rawEventId, String(segmentNumber), String(elementPosition));
}
