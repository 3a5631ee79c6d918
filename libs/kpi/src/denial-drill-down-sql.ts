import {
  ADJUDICATED_STATUSES,
  BILLING_EXPORT_LAYOUT_PREFIX,
  CARRIER_LINE_LAYOUTS,
  REMITTANCE_LAYOUT_PATTERN,
  type DenialSource,
} from './denial-cost-facts';

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const adjudicated = `(${ADJUDICATED_STATUSES.map(literal).join(', ')})`;

/** The claims each source rule reads, as the batch SQL (DIMENSION_COUNTER_BATCH_SQL) picks them. */
const SOURCE_CLAIMS: Readonly<Record<DenialSource, string>> = {
  carrier_lines: `c.layout IN (${CARRIER_LINE_LAYOUTS.map(literal).join(', ')})`,
  billing_export: `c.layout LIKE ${literal(`${BILLING_EXPORT_LAYOUT_PREFIX}%`)} AND c.layout !~ ${literal(
    REMITTANCE_LAYOUT_PATTERN,
  )} AND c.adjudication_status IN ${adjudicated}`,
  remittance: `c.layout ~ ${literal(REMITTANCE_LAYOUT_PATTERN)} AND c.adjudication_status IN ${adjudicated}`,
  remittance_lines: `c.layout ~ ${literal(REMITTANCE_LAYOUT_PATTERN)} AND c.adjudication_status IN ${adjudicated}`,
};

/** A denial CAS of claim c (on line `line`, or anywhere when null): an unlisted CARC counts as one, as in the batch SQL. */
const denialCas = (line: string | null): string => `EXISTS (
      SELECT 1 FROM jsonb_array_elements(coalesce(c.adjustments, '[]'::jsonb)) AS a(value)
        LEFT JOIN carc_root_cause r ON r.carc = a.value ->> 'carc'
       WHERE coalesce(r.denial, true)${line === null ? '' : ` AND (a.value ->> 'lineNumber')::integer = ${line}`})`;

/** Each source's units of claim c (one row per unit): whether it was denied, and its amount in cents. */
const SOURCE_UNITS: Readonly<Record<DenialSource, string>> = {
  carrier_lines: `
    SELECT l.processing_category = 'not_allowed' AS denied,
           coalesce(l.charge_amount_cents, l.allowed_amount_cents) AS amount_cents
      FROM claim_line_state l
     WHERE l.claim_id = c.claim_id AND l.processing_category IN ('allowed', 'not_allowed')`,
  billing_export: `
    SELECT c.adjudication_status = 'denied' AS denied,
           coalesce(c.billed_amount_cents,
                    (SELECT sum(coalesce(l.charge_amount_cents, 0)) FROM claim_line_state l
                      WHERE l.claim_id = c.claim_id), 0) AS amount_cents`,
  remittance: `
    SELECT c.adjudication_status = 'denied' OR (c.payment_amount_cents = 0 AND ${denialCas(null)}) AS denied,
           coalesce(c.billed_amount_cents,
                    (SELECT sum(coalesce(l.charge_amount_cents, 0)) FROM claim_line_state l
                      WHERE l.claim_id = c.claim_id), 0) AS amount_cents`,
  remittance_lines: `
    SELECT l.payment_amount_cents = 0 AND ${denialCas('l.position')} AS denied,
           coalesce(l.charge_amount_cents, 0) AS amount_cents
      FROM (SELECT l.*, row_number() OVER (ORDER BY l.line_number)::integer AS position
              FROM claim_line_state l WHERE l.claim_id = c.claim_id) AS l`,
};

/**
 * The drill-down of a denial figure: the claims behind one cell of
 * `GET /v1/kpis/denials` under one source rule, each with its adjudicated
 * and denied units (lines or the claim) and their cents, so the rows of a
 * cell add up to the cell, filtered or not.
 *
 * $1 month (YYYY-MM of the service-through date, the `month` dimension) or
 * NULL for any; keyset paging after claim id $2 ('' first), $3 rows at
 * most; $4 true for claims with a denied unit only; `claimFilter` the claim
 * filters (claimFilterSql over claim_state's unqualified columns, as the
 * filtered denial figures read them) from $5 on. Walks claim_state in claim
 * id order, so a page stops once it is full.
 */
export function denialDrillDownSql(source: DenialSource, claimFilter: string): string {
  return `
SELECT c.claim_id, c.payer, c.claim_type, to_char(c.service_through_date, 'YYYY-MM') AS month, c.provider_group,
       c.adjudication_status, c.layout, u.adjudicated_units, u.denied_units,
       u.adjudicated_amount_cents::text AS adjudicated_amount_cents, u.denied_amount_cents::text AS denied_amount_cents
  FROM claim_state c
 CROSS JOIN LATERAL (
   SELECT count(*)::integer AS adjudicated_units, (count(*) FILTER (WHERE unit.denied))::integer AS denied_units,
          coalesce(sum(unit.amount_cents), 0)::bigint AS adjudicated_amount_cents,
          coalesce(sum(unit.amount_cents) FILTER (WHERE unit.denied), 0)::bigint AS denied_amount_cents
     FROM (${SOURCE_UNITS[source]}
     ) AS unit
 ) AS u
 WHERE ${SOURCE_CLAIMS[source]}
   AND ($1::text IS NULL OR to_char(c.service_through_date, 'YYYY-MM') = $1)
   AND c.claim_id > $2::text
   AND u.adjudicated_units > 0
   AND (NOT $4::boolean OR u.denied_units > 0)${claimFilter}
 ORDER BY c.claim_id
 LIMIT $3
`;
}

export interface DenialDrillDownRow {
  claim_id: string;
  payer: string;
  claim_type: string;
  month: string;
  provider_group: string;
  adjudication_status: string | null;
  layout: string;
  adjudicated_units: number;
  denied_units: number;
  adjudicated_amount_cents: string;
  denied_amount_cents: string;
}
