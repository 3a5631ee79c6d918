import { z } from 'zod';
import { CalendarDate, invalidRequest, parseQuery, queryText, wholeNumber } from '../http/query-fields';

/** The payer as the 837 names it (2010BB NM1*PR), matched exactly as GET /v1/kpis/claim-lifecycle does. */
const Payer = queryText(1, 200);

/**
 * The cursor names the submission a page ended on by its stored key (CLM01
 * and the billing NPI, as long as the 837 wrote them): each is bounded by
 * the cursor's own length, so every cursor a page hands out is read back.
 * Past this the request line would outgrow what Node's HTTP parser reads.
 */
const MAX_CURSOR_LENGTH = 16_384;

const OverdueSubmissionsQuerySchema = z
  .object({
    payer: Payer.optional(),
    asOf: CalendarDate.optional(),
    limit: wholeNumber(1, 500).optional(),
    cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  })
  .strict();

const OverdueSubmissionsExportQuerySchema = z
  .object({ payer: Payer.optional(), asOf: CalendarDate.optional(), limit: wholeNumber(1, 100_000).optional() })
  .strict();

/** Where the next page starts: after this submission, in the list as of this date for this payer filter. */
export interface OverdueSubmissionsCursor {
  asOf: string;
  payer: string | null;
  submittedOn: string;
  patientControlNumber: string;
  billingNpi: string;
}

const CursorSchema = z.tuple([
  CalendarDate,
  Payer.nullable(),
  CalendarDate,
  queryText(1, MAX_CURSOR_LENGTH),
  queryText(0, MAX_CURSOR_LENGTH),
]);

export function encodeOverdueSubmissionsCursor(cursor: OverdueSubmissionsCursor): string {
  const { asOf, payer, submittedOn, patientControlNumber, billingNpi } = cursor;
  return Buffer.from(JSON.stringify([asOf, payer, submittedOn, patientControlNumber, billingNpi]), 'utf8').toString(
    'base64url',
  );
}

/** The cursor a page handed out, or null when it is not one (tampered, truncated). */
export function decodeOverdueSubmissionsCursor(encoded: string): OverdueSubmissionsCursor | null {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const [asOf, payer, submittedOn, patientControlNumber, billingNpi] = parsed.data;
    return { asOf, payer, submittedOn, patientControlNumber, billingNpi };
  } catch {
    return null;
  }
}

export interface OverdueSubmissionsQuery {
  payer: string | null;
  /** The as-of date asked for, else the cursor's, else null (the acknowledgement clock). */
  asOf: string | null;
  limit: number;
  after: { submittedOn: string; patientControlNumber: string; billingNpi: string } | null;
}

export function parseOverdueSubmissionsQuery(query: unknown): OverdueSubmissionsQuery {
  const { payer, asOf, limit, cursor } = parseQuery(OverdueSubmissionsQuerySchema, query);
  const decoded = cursor === undefined ? null : decodeOverdueSubmissionsCursor(cursor);
  if (cursor !== undefined && decoded === null) throw invalidRequest(['cursor']);
  // A cursor belongs to one list (one as-of date, one payer filter); paging on under another would skip or repeat.
  if (decoded && asOf !== undefined && decoded.asOf !== asOf) throw invalidRequest(['cursor', 'asOf']);
  if (decoded && decoded.payer !== (payer ?? null)) throw invalidRequest(['cursor', 'payer']);
  return {
    payer: payer ?? null,
    asOf: asOf ?? decoded?.asOf ?? null,
    limit: limit ?? 50,
    after: decoded
      ? {
          submittedOn: decoded.submittedOn,
          patientControlNumber: decoded.patientControlNumber,
          billingNpi: decoded.billingNpi,
        }
      : null,
  };
}

/** The export: the same filters, no cursor, `limit` rows at most (default 10,000). */
export function parseOverdueSubmissionsExportQuery(query: unknown): OverdueSubmissionsQuery {
  const { payer, asOf, limit } = parseQuery(OverdueSubmissionsExportQuerySchema, query);
  return { payer: payer ?? null, asOf: asOf ?? null, limit: limit ?? 10_000, after: null };
}
