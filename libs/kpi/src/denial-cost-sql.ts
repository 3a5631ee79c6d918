import { UNKNOWN_ROOT_CAUSE } from './carc-root-cause';
import { KPI_COUNTER_DAY_BY_KPI_SQL } from './day-counter-rows';
import {
  DIMENSION_COUNTER_FAMILY,
  DIMENSION_COUNTER_MEASURES,
  NO_DENIAL_CARC,
  PATIENT_RESPONSIBILITY_CARCS,
  UNDATED_DIMENSIONS,
  denialFamily,
  type DimensionCounterMeasure,
} from './denial-cost-contribution';
import {
  BILLING_EXPORT_LAYOUT_PREFIX,
  CARRIER_LINE_LAYOUTS,
  DENIAL_SOURCES,
  REMITTANCE_LAYOUT_PATTERN,
  type DenialSource,
} from './denial-cost-facts';

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Unpivots one row of measures into (kpi, dimension, value) rows, the counters' shape. */
const unpivotMeasures = (alias: string): string =>
  `CROSS JOIN LATERAL (VALUES ${DIMENSION_COUNTER_MEASURES.map((measure) => `('${measure}', ${alias}.${measure})`).join(
    ', ',
  )}) AS m(measure, value)`;

const zeroMeasures = (except: Partial<Record<DimensionCounterMeasure, string>>): string =>
  DIMENSION_COUNTER_MEASURES.map((measure) => `(${except[measure] ?? '0'})::bigint AS ${measure}`).join(', ');

/** Every family of kpi_dimension_counter, in the order the batch SQL computes them. */
export const DIMENSION_COUNTER_FAMILIES: readonly string[] = [
  DIMENSION_COUNTER_FAMILY.claims,
  ...DENIAL_SOURCES.map(denialFamily),
  DIMENSION_COUNTER_FAMILY.lines,
  DIMENSION_COUNTER_FAMILY.drugFills,
  DIMENSION_COUNTER_FAMILY.adjustments,
];

/** The 835 sources: their denied units carry CARCs, so they are also counted by root cause. */
const CARC_SOURCES: readonly DenialSource[] = ['remittance', 'remittance_lines'];

const UNION_ALL = '\n  UNION ALL';

/** Each source rule's units, the branches of denial_unit (line_number is typed in each: any may come first). */
const DENIAL_UNITS: Readonly<Record<DenialSource, string>> = {
  carrier_lines: `
  -- Carrier lines: LINE_PRCSG_IND_CD allowed or not allowed; MSP/COB, reprocessed and unknown lines are out.
  SELECT c.claim_id, 'carrier_lines', NULL::integer,
         l.processing_category = 'not_allowed',
         coalesce(l.charge_amount_cents, l.allowed_amount_cents)
    FROM claim c JOIN claim_line_state l USING (claim_id)
   WHERE c.denial_source = 'carrier_lines' AND l.processing_category IN ('allowed', 'not_allowed')`,
  billing_export: `
  -- Billing exports: one claim, adjudicated when paid, partially paid or denied.
  SELECT claim_id, denial_source, NULL::integer, adjudication_status = 'denied', billed_cents
    FROM claim
   WHERE denial_source = 'billing_export' AND adjudication_status IN ('paid', 'partially_paid', 'denied')`,
  remittance: `
  -- 835 claims: denied at CLP02 4, or paid nothing with a denial CARC anywhere on the claim.
  SELECT c.claim_id, 'remittance', NULL::integer,
         c.adjudication_status = 'denied'
           OR (c.payment_amount_cents = 0
               AND EXISTS (SELECT 1 FROM remit_adjustment ra WHERE ra.claim_id = c.claim_id AND ra.denial)),
         c.billed_cents
    FROM claim c
   WHERE c.denial_source = 'remittance' AND c.adjudication_status IN ('paid', 'partially_paid', 'denied')`,
  remittance_lines: `
  -- 835 lines, numbered by position as the mapper numbers SVCs (and the fold its lines): denied when SVC03 is
  -- zero with a denial CARC on the line itself.
  SELECT l.claim_id, 'remittance_lines', l.position,
         l.payment_amount_cents = 0
           AND EXISTS (SELECT 1 FROM remit_adjustment ra
                        WHERE ra.claim_id = l.claim_id AND ra.line_number = l.position AND ra.denial),
         coalesce(l.charge_amount_cents, 0)
    FROM (SELECT l.*, row_number() OVER (PARTITION BY l.claim_id ORDER BY l.line_number)::integer AS position
            FROM claim c JOIN claim_line_state l USING (claim_id)
           WHERE c.denial_source = 'remittance'
             AND c.adjudication_status IN ('paid', 'partially_paid', 'denied')) AS l`,
};

/**
 * An 835's claim-level patient responsibility (PR-1 deductible, PR-2 coinsurance in CAS at claim level,
 * lineNumber null) in claim_state `alias`.adjustments, in cents (0 for none): what the lines' deductible and
 * coinsurance cannot hold. Added to the lines' sum wherever a claim's patient responsibility is computed.
 */
export function claimLevelPatientCentsSql(alias: string): string {
  return `coalesce((SELECT sum((a.value ->> 'amountCents')::bigint)
              FROM jsonb_array_elements(coalesce(${alias}.adjustments, '[]'::jsonb)) AS a(value)
             WHERE a.value ->> 'lineNumber' IS NULL AND a.value ->> 'groupCode' = 'PR'
               AND a.value ->> 'carc' IN (${PATIENT_RESPONSIBILITY_CARCS.map(literal).join(', ')})), 0)`;
}

const CLAIM_TOTALS = {
  claims: 'count(*)',
  lines: 'sum(c.lines)',
  billed_amount_cents: 'sum(c.billed_cents)',
  allowed_amount_cents: 'sum(c.allowed_amount_cents)',
  paid_amount_cents: 'sum(c.payment_amount_cents)',
  patient_responsibility_amount_cents: 'sum(c.patient_cents)',
};

/**
 * The batch truth of the denial-and-payment and volume-and-cost families:
 * every kpi_dimension_counter cell computed from claim_state and
 * claim_line_state alone, as (kpi, dimension, value) rows with kpi =
 * `family.measure` and dimension = `dimension=value`. Claims stored before
 * these families existed (layout NULL) are left out, as the fold leaves them.
 * 835 adjustments are classified by joining carc_root_cause (seeded from
 * rules/carc-root-causes.csv at the metrics service's start), never by the
 * root cause the fold stored with them: a fold that classified differently
 * shows as a difference. The definitions are written out in
 * docs/kpis/denials-and-payment.md and docs/kpis/volume-and-cost.md.
 */
export const DIMENSION_COUNTER_BATCH_SQL = dimensionCounterBatchSql('');

/**
 * The batch SQL over the claims a filter keeps, of the families asked for
 * (every family by default): `claimFilter` is `''` or ` AND <predicate>...`
 * over claim_state's columns (see claimFilterSql), applied before anything is
 * summed, so every figure counts those claims alone, exactly. A family's rows
 * do not depend on which other families are computed with it; a family not
 * asked for is not computed at all (its CTEs and branches are left out of the
 * text), so a read of one family costs that family alone.
 */
export function dimensionCounterBatchSql(
  claimFilter: string,
  families: readonly string[] = DIMENSION_COUNTER_FAMILIES,
): string {
  const unknownFamily = families.find((family) => !DIMENSION_COUNTER_FAMILIES.includes(family));
  if (unknownFamily !== undefined) throw new Error(`no family ${unknownFamily}`);
  if (families.length === 0) throw new Error('no family to compute');
  const computes = (family: string): boolean => families.includes(family);
  const denialSources = DENIAL_SOURCES.filter((source) => computes(denialFamily(source)));
  const rootCauses = denialSources.some((source) => CARC_SOURCES.includes(source));
  const lineClaims = claimFilter
    ? ` WHERE claim_id IN (SELECT claim_id FROM claim_state WHERE layout IS NOT NULL${claimFilter})`
    : '';
  const ctes = [
    `line_totals AS (
  SELECT claim_id, count(*) AS lines, sum(coalesce(charge_amount_cents, 0)) AS charge_cents,
         sum(deductible_amount_cents + coinsurance_amount_cents) AS patient_cents
    FROM claim_line_state${lineClaims} GROUP BY claim_id
)`,
    `claim AS (
  SELECT c.claim_id, c.claim_type, c.payer, to_char(c.service_through_date, 'YYYY-MM') AS month,
         c.provider_group, c.state, c.adjudication_status, c.first_diagnosis_code, c.drug_ndc_code,
         c.drug_days_supply, c.adjustments, c.allowed_amount_cents, c.payment_amount_cents,
         coalesce(lt.lines, 0) AS lines,
         coalesce(c.billed_amount_cents, lt.charge_cents, 0) AS billed_cents,
         coalesce(lt.patient_cents, 0) + ${claimLevelPatientCentsSql('c')} AS patient_cents,
         CASE WHEN c.layout IN (${CARRIER_LINE_LAYOUTS.map(literal).join(', ')}) THEN 'carrier_lines'
              WHEN c.layout ~ ${literal(REMITTANCE_LAYOUT_PATTERN)} THEN 'remittance'
              WHEN c.layout LIKE ${literal(`${BILLING_EXPORT_LAYOUT_PREFIX}%`)} THEN 'billing_export'
         END AS denial_source
    FROM claim_state c LEFT JOIN line_totals lt USING (claim_id)
   WHERE c.layout IS NOT NULL${claimFilter}
)`,
  ];
  if (computes(DIMENSION_COUNTER_FAMILY.claims) || denialSources.length > 0) {
    ctes.push(`claim_dimension AS (
  SELECT c.claim_id, d.dimension, d.value
    FROM claim c
   CROSS JOIN LATERAL (VALUES ('payer', c.payer), ('claim_type', c.claim_type), ('month', c.month),
                              ('provider_group', c.provider_group), ('state', c.state)) AS d(dimension, value)
)`);
  }
  if (rootCauses) {
    ctes.push(`remit_adjustment AS (
  -- CAS of adjudicated 835 claim payments, classified by the mapping; an unlisted CARC is a denial reason.
  SELECT c.claim_id, (a.value ->> 'lineNumber')::integer AS line_number, a.value ->> 'carc' AS carc,
         (a.value ->> 'amountCents')::bigint AS amount_cents,
         coalesce(r.scenario, ${literal(UNKNOWN_ROOT_CAUSE)}) AS scenario,
         coalesce(r.category, ${literal(UNKNOWN_ROOT_CAUSE)}) AS category,
         coalesce(r.denial, true) AS denial
    FROM claim c CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.adjustments, '[]'::jsonb)) AS a(value)
    LEFT JOIN carc_root_cause r ON r.carc = a.value ->> 'carc'
   WHERE c.denial_source = 'remittance' AND c.adjudication_status IN ('paid', 'partially_paid', 'denied')
)`);
  }
  if (denialSources.length > 0) {
    ctes.push(
      `denial_unit (claim_id, source, line_number, denied, amount_cents) AS (${denialSources
        .map((source) => DENIAL_UNITS[source])
        .join(UNION_ALL)}\n)`,
    );
  }
  if (rootCauses) {
    ctes.push(`denied_cause AS (
  -- A denied 835 unit's denial CAS: all of the claim's for a claim, the line's own for a line.
  SELECT u.source, u.claim_id, u.line_number, ra.scenario, ra.category, ra.carc, ra.amount_cents, 1 AS adjustments
    FROM denial_unit u
    JOIN remit_adjustment ra ON ra.claim_id = u.claim_id AND ra.denial
                            AND (u.line_number IS NULL OR ra.line_number = u.line_number)
   WHERE u.denied AND u.source IN ('remittance', 'remittance_lines')
  UNION ALL
  SELECT u.source, u.claim_id, u.line_number, ${literal(NO_DENIAL_CARC)}, ${literal(NO_DENIAL_CARC)}, ${literal(NO_DENIAL_CARC)}, 0, 0
    FROM denial_unit u
   WHERE u.denied AND u.source IN ('remittance', 'remittance_lines')
     AND NOT EXISTS (SELECT 1 FROM remit_adjustment ra
                      WHERE ra.claim_id = u.claim_id AND ra.denial
                        AND (u.line_number IS NULL OR ra.line_number = u.line_number))
)`);
    ctes.push(`root_cause AS (
  SELECT dc.source, dc.claim_id, dc.line_number, d.dimension, d.value, dc.amount_cents, dc.adjustments
    FROM denied_cause dc
   CROSS JOIN LATERAL (VALUES ('root_cause_scenario', dc.scenario), ('root_cause_category', dc.category),
                              ('carc', dc.carc)) AS d(dimension, value)
)`);
  }
  if (computes(DIMENSION_COUNTER_FAMILY.adjustments)) {
    ctes.push(`adjustment AS (
  -- A reversal (an 835 claim payment without a status) adjusts nothing of its own.
  SELECT a.value ->> 'groupCode' AS group_code, a.value ->> 'carc' AS carc, (a.value ->> 'amountCents')::bigint AS amount_cents
    FROM claim c CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.adjustments, '[]'::jsonb)) AS a(value)
   WHERE c.denial_source IS DISTINCT FROM 'remittance' OR c.adjudication_status IS NOT NULL
)`);
  }
  const cells: string[] = [];
  if (computes(DIMENSION_COUNTER_FAMILY.claims)) {
    cells.push(`
  SELECT 'claims', d.dimension, d.value,
         ${zeroMeasures(CLAIM_TOTALS)}
    FROM claim_dimension d JOIN claim c USING (claim_id)
   GROUP BY d.dimension, d.value`);
    cells.push(`
  SELECT 'claims', 'diagnosis', c.first_diagnosis_code,
         ${zeroMeasures(CLAIM_TOTALS)}
    FROM claim c WHERE c.first_diagnosis_code IS NOT NULL
   GROUP BY c.first_diagnosis_code`);
  }
  if (denialSources.length > 0) {
    cells.push(`
  SELECT 'denials:' || u.source, d.dimension, d.value,
         ${zeroMeasures({
           adjudicated_count: 'count(*)',
           denied_count: 'count(*) FILTER (WHERE u.denied)',
           adjudicated_amount_cents: 'sum(u.amount_cents)',
           denied_amount_cents: 'coalesce(sum(u.amount_cents) FILTER (WHERE u.denied), 0)',
         })}
    FROM denial_unit u JOIN claim_dimension d USING (claim_id)
   WHERE d.dimension <> 'state'
   GROUP BY u.source, d.dimension, d.value`);
  }
  if (rootCauses) {
    cells.push(`
  SELECT 'denials:' || rc.source, rc.dimension, rc.value,
         ${zeroMeasures({
           denied_count: 'count(DISTINCT (rc.claim_id, coalesce(rc.line_number, 0)))',
           adjustments: 'sum(rc.adjustments)',
           adjustment_amount_cents: 'sum(rc.amount_cents)',
         })}
    FROM root_cause rc
   GROUP BY rc.source, rc.dimension, rc.value`);
  }
  if (computes(DIMENSION_COUNTER_FAMILY.lines)) {
    cells.push(`
  SELECT 'lines', 'hcpcs', l.hcpcs_code,
         ${zeroMeasures({
           lines: 'count(*)',
           billed_amount_cents: 'sum(coalesce(l.charge_amount_cents, 0))',
           allowed_amount_cents: 'sum(l.allowed_amount_cents)',
           paid_amount_cents: 'sum(l.payment_amount_cents)',
           patient_responsibility_amount_cents: 'sum(l.deductible_amount_cents + l.coinsurance_amount_cents)',
         })}
    FROM claim c JOIN claim_line_state l USING (claim_id)
   WHERE l.hcpcs_code IS NOT NULL
   GROUP BY l.hcpcs_code`);
  }
  if (computes(DIMENSION_COUNTER_FAMILY.drugFills)) {
    cells.push(`
  SELECT 'drug_fills', 'ndc', c.drug_ndc_code,
         ${zeroMeasures({
           claims: 'count(*)',
           billed_amount_cents: 'sum(c.billed_cents)',
           paid_amount_cents: 'sum(c.payment_amount_cents)',
           days_supply: 'sum(coalesce(c.drug_days_supply, 0))',
         })}
    FROM claim c WHERE c.claim_type = 'pharmacy' AND c.drug_ndc_code IS NOT NULL
   GROUP BY c.drug_ndc_code`);
  }
  if (computes(DIMENSION_COUNTER_FAMILY.adjustments)) {
    cells.push(`
  SELECT 'adjustments', 'group_code', a.group_code,
         ${zeroMeasures({ adjustments: 'count(*)', adjustment_amount_cents: 'sum(a.amount_cents)' })}
    FROM adjustment a GROUP BY a.group_code`);
    cells.push(`
  SELECT 'adjustments', 'carc', a.group_code || '-' || a.carc,
         ${zeroMeasures({ adjustments: 'count(*)', adjustment_amount_cents: 'sum(a.amount_cents)' })}
    FROM adjustment a GROUP BY a.group_code, a.carc`);
  }
  // The columns are named once here: the branch that comes first depends on the families asked for.
  ctes.push(
    `cells (family, dimension, dimension_value, ${DIMENSION_COUNTER_MEASURES.join(', ')}) AS (${cells.join(
      UNION_ALL,
    )}\n)`,
  );
  return `
WITH ${ctes.join(', ')}
SELECT cells.family || '.' || m.measure AS kpi, cells.dimension || '=' || cells.dimension_value AS dimension,
       m.value::bigint AS value
  FROM cells ${unpivotMeasures('cells')}
 WHERE m.value <> 0
`;
}

/** The streamed dimension counters in the batch SQL's shape, summed over partitions; zero sums left out. */
export const STREAMED_DIMENSION_COUNTERS_SQL = `
SELECT k.family || '.' || m.measure AS kpi, k.dimension || '=' || k.dimension_value AS dimension,
       sum(m.value)::bigint AS value
  FROM kpi_dimension_counter k ${unpivotMeasures('k')}
 GROUP BY k.family, k.dimension, k.dimension_value, m.measure
HAVING sum(m.value) <> 0
`;

/** One cell of kpi_dimension_counter summed over partitions, bigints as text. */
export type DimensionCounterCellRow = { dimension_value: string } & Record<DimensionCounterMeasure, string>;

const summedMeasures = DIMENSION_COUNTER_MEASURES.map((measure) => `sum(${measure})::text AS ${measure}`).join(', ');
const anyNonZero = DIMENSION_COUNTER_MEASURES.map((measure) => `sum(${measure}) <> 0`).join(' OR ');

/**
 * Every value of one family's dimension ($1 family, $2 dimension), partitions
 * summed: a range of the primary key, never a scan of claims.
 */
export const DIMENSION_COUNTER_CELLS_SQL = `
SELECT dimension_value, ${summedMeasures}
  FROM kpi_dimension_counter
 WHERE family = $1 AND dimension = $2
 GROUP BY dimension_value
HAVING ${anyNonZero}
 ORDER BY dimension_value
`;

/**
 * DIMENSION_COUNTER_CELLS_SQL as the counters stood at the end of event day
 * $3: the day-keyed deltas summed up to it (see docs/kpis/as-of.md), a range
 * of kpi_dimension_counter_day's primary key. Summed over every day it is the
 * live counters' answer.
 */
export const DIMENSION_COUNTER_CELLS_AS_OF_SQL = `
SELECT dimension_value, ${summedMeasures}
  FROM kpi_dimension_counter_day
 WHERE family = $1 AND dimension = $2 AND event_day <= $3::date
 GROUP BY dimension_value
HAVING ${anyNonZero}
 ORDER BY dimension_value
`;

/** UNDATED_DIMENSIONS as an SQL list: fixed words of this module, never input. */
const undatedDimensionList = [...UNDATED_DIMENSIONS].map((dimension) => `'${dimension}'`).join(', ');

/**
 * Where the day-keyed counters, summed over every day, differ from the live
 * ones (first family and denial and cost families alike, one measure a row;
 * the undated dimensions left out): none, as long as every change went into
 * both in one transaction.
 */
export const DAILY_COUNTER_DIFFERENCES_SQL = `
WITH live AS (
  SELECT kpi, dimension, sum(value)::bigint AS value FROM kpi_counter GROUP BY 1, 2
  UNION ALL
  SELECT k.family || '.' || m.measure, k.dimension || '=' || k.dimension_value, sum(m.value)::bigint
    FROM kpi_dimension_counter k ${unpivotMeasures('k')}
   WHERE k.dimension NOT IN (${undatedDimensionList})
   GROUP BY 1, 2
), daily AS (
  SELECT kpi, dimension, sum(value)::bigint AS value FROM ${KPI_COUNTER_DAY_BY_KPI_SQL} AS day_counters GROUP BY 1, 2
  UNION ALL
  SELECT k.family || '.' || m.measure, k.dimension || '=' || k.dimension_value, sum(m.value)::bigint
    FROM kpi_dimension_counter_day k ${unpivotMeasures('k')} GROUP BY 1, 2
)
SELECT coalesce(live.kpi, daily.kpi) AS kpi, coalesce(live.dimension, daily.dimension) AS dimension,
       coalesce(live.value, 0)::text AS live, coalesce(daily.value, 0)::text AS daily
  FROM live FULL JOIN daily ON daily.kpi = live.kpi AND daily.dimension = live.dimension
 WHERE coalesce(live.value, 0) <> coalesce(daily.value, 0)
 ORDER BY 1, 2
 LIMIT $1
`;
export interface DailyCounterDifferenceRow {
  kpi: string;
  dimension: string;
  live: string;
  daily: string;
}

/**
 * The one definition of a top list: the `$3` values of a cells query
 * (DimensionCounterCellRow rows, one per value) whose `orderBy` is not zero,
 * largest first, ties by value. The counters and the claims a filter keeps
 * are both ranked by it, so a filter that keeps every claim ranks as the
 * counters do.
 */
function topOfCellsSql(cellsSql: string, orderBy: DimensionCounterMeasure): string {
  if (!DIMENSION_COUNTER_MEASURES.includes(orderBy)) throw new Error(`no measure ${orderBy}`);
  return `
SELECT cell.dimension_value, ${DIMENSION_COUNTER_MEASURES.map((measure) => `cell.${measure}`).join(', ')}
  FROM (${cellsSql}) AS cell
 WHERE cell.${orderBy}::numeric <> 0
 ORDER BY cell.${orderBy}::numeric DESC, cell.dimension_value
 LIMIT $3
`;
}

/** The top `$3` values of one family's dimension ($1 family, $2 dimension) by a measure in the counters. */
export function topDimensionCellsSql(orderBy: DimensionCounterMeasure): string {
  return topOfCellsSql(DIMENSION_COUNTER_CELLS_SQL, orderBy);
}

/** A row of filteredDimensionCellsSql: the counters' cell shape, with the dimension it is a value of. */
export type FilteredDimensionCellRow = { dimension: string } & DimensionCounterCellRow;

/**
 * One family's cells by each dimension asked for ($1 family, $2 the
 * dimensions as a text[]) over the claims a filter keeps, in the counters'
 * cell shape with the dimension named: the batch SQL of `families` with the
 * filter applied to claim_state, the filter's values after the caller's own
 * ($3 on, here). `families` need only hold the family $1 names: the others
 * are then not computed (the default, every family, computes them all).
 * The counters are one-dimensional sums and cannot be cut by a second
 * dimension, so a filtered answer is computed from the claims; it equals the
 * counters' cell when the filter keeps every claim of it. The batch SQL
 * leaves zero values out, so every value listed has a measure other than
 * zero, as the counters' cells do.
 */
export function filteredDimensionCellsSql(
  claimFilter: string,
  families: readonly string[] = DIMENSION_COUNTER_FAMILIES,
): string {
  const measures = DIMENSION_COUNTER_MEASURES.map(
    (measure) => `coalesce(sum(b.value) FILTER (WHERE b.kpi = $1 || '.${measure}'), 0)::text AS ${measure}`,
  ).join(', ');
  // A dimension's name never holds '=': its value is whatever follows the first one.
  return `
SELECT split_part(b.dimension, '=', 1) AS dimension, substr(b.dimension, strpos(b.dimension, '=') + 1) AS dimension_value,
       ${measures}
  FROM (${dimensionCounterBatchSql(claimFilter, families)}) AS b
 WHERE left(b.kpi, length($1) + 1) = $1 || '.' AND split_part(b.dimension, '=', 1) = ANY($2::text[])
 GROUP BY 1, 2
 ORDER BY 1, 2
`;
}

/** filteredDimensionCellsSql's rows as one list of cells per dimension asked for, in that order. */
export function cellsOfEachDimension(
  rows: readonly FilteredDimensionCellRow[],
  dimensions: readonly string[],
): DimensionCounterCellRow[][] {
  return dimensions.map((dimension) =>
    rows.filter((row) => row.dimension === dimension).map(({ dimension: _dimension, ...cell }) => cell),
  );
}

/**
 * The top list of topDimensionCellsSql over the claims a filter keeps: $1
 * family, $2 the dimension (a one-element text[]), $3 the limit, the
 * filter's values from $4 on; `families` as for filteredDimensionCellsSql.
 */
export function filteredTopDimensionCellsSql(
  orderBy: DimensionCounterMeasure,
  claimFilter: string,
  families: readonly string[] = DIMENSION_COUNTER_FAMILIES,
): string {
  return topOfCellsSql(filteredDimensionCellsSql(claimFilter, families), orderBy);
}
