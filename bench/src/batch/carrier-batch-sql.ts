import { DESYNPUF_CARRIER_COLUMNS, lineProcessingCategory } from '@claims/source-layouts';

/**
 * The batch way of loading a DE-SynPUF carrier file: COPY into a staging
 * table, then plain SQL into the same claim_state / claim_line_state the
 * stream folds into, then the product's KPI batch SQL. The SQL mirrors the
 * normalizer's rules (a line slot is a line when any of its codes, tax number
 * or line diagnosis included, is set or any amount is non-zero; amounts in cents) so both ways must give the same figures.
 */

const LINE_SLOTS = 13;
/** Every LINE_PRCSG_IND_CD the CCW codebook lists; its category comes from the product's own mapping. */
const CODEBOOK_INDICATORS = 'ABCDILMNOPZRSGHJKQTUVXY!@#$*()+<>%&'.split('');

export const STAGING_TABLE = 'carrier_staging';

export function stagingTableDdl(): string {
  const columns = DESYNPUF_CARRIER_COLUMNS.map((name) => `${name.toLowerCase()} text`).join(', ');
  // Unlogged: a staging table is reloaded from its file, never recovered.
  return `CREATE UNLOGGED TABLE ${STAGING_TABLE} (${columns})`;
}

export function copyStagingSql(): string {
  return `COPY ${STAGING_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)`;
}

/** The product's indicator → category mapping as a VALUES list, so SQL and stream categorise alike. */
export function processingCategoryValues(): string {
  return CODEBOOK_INDICATORS.map((code) => `('${code}', '${lineProcessingCategory(code)}')`).join(', ');
}

function lineSlotValues(): string {
  return Array.from({ length: LINE_SLOTS }, (_, index) => {
    const n = index + 1;
    return (
      `(${n}, s.hcpcs_cd_${n}, s.prf_physn_npi_${n}, s.tax_num_${n}, s.line_prcsg_ind_cd_${n}, ` +
      `s.line_nch_pmt_amt_${n}, s.line_alowd_chrg_amt_${n}, s.line_bene_ptb_ddctbl_amt_${n}, ` +
      `s.line_coinsrnc_amt_${n}, s.line_bene_prmry_pyr_pd_amt_${n}, s.line_icd9_dgns_cd_${n})`
    );
  }).join(',\n        ');
}

/** Unpivots the 13 line slots into one row per present line. */
export function linesTableSql(): string {
  const cents = (column: string): string => `(coalesce(nullif(trim(${column}), ''), '0')::numeric * 100)::bigint`;
  return `
    CREATE UNLOGGED TABLE carrier_lines AS
    SELECT s.clm_id AS claim_id, l.n::smallint AS line_number,
           nullif(trim(l.hcpcs), '') AS hcpcs_code, nullif(trim(l.npi), '') AS rendering_npi,
           nullif(trim(l.tax), '') AS tax_id, nullif(trim(l.indicator), '') AS processing_indicator_code,
           coalesce(category.name, 'unknown') AS processing_category,
           ${cents('l.payment')} AS payment_amount_cents, ${cents('l.allowed')} AS allowed_amount_cents
      FROM ${STAGING_TABLE} s
      CROSS JOIN LATERAL (VALUES
        ${lineSlotValues()}
      ) AS l(n, hcpcs, npi, tax, indicator, payment, allowed, deductible, coinsurance, primary_payer, diagnosis)
      LEFT JOIN (VALUES ${processingCategoryValues()}) AS category(code, name) ON category.code = nullif(trim(l.indicator), '')
     WHERE nullif(trim(l.indicator), '') IS NOT NULL OR nullif(trim(l.hcpcs), '') IS NOT NULL
        OR nullif(trim(l.npi), '') IS NOT NULL OR nullif(trim(l.tax), '') IS NOT NULL
        OR nullif(trim(l.diagnosis), '') IS NOT NULL
        OR ${cents('l.payment')} <> 0 OR ${cents('l.allowed')} <> 0 OR ${cents('l.deductible')} <> 0
        OR ${cents('l.coinsurance')} <> 0 OR ${cents('l.primary_payer')} <> 0`;
}

/** Claim state from the staging rows and their lines; lineage and event id filled as the fold would. */
export function claimStateInsertSql(): string {
  return `
    INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
      service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
      lineage_record_number, kafka_partition)
    SELECT s.clm_id, md5(s.clm_id)::uuid, 'adjudicated', 'professional', 'MEDICARE', to_date(s.clm_thru_dt, 'YYYYMMDD'),
           to_date(s.clm_from_dt, 'YYYYMMDD'), to_date(s.clm_thru_dt, 'YYYYMMDD'), coalesce(totals.line_count, 0),
           coalesce(totals.payment, 0), coalesce(totals.allowed, 0), $1, $2, row_number() OVER (), 0
      FROM ${STAGING_TABLE} s
      LEFT JOIN (SELECT claim_id, count(*) AS line_count, sum(payment_amount_cents) AS payment,
                        sum(allowed_amount_cents) AS allowed
                   FROM carrier_lines GROUP BY claim_id) AS totals ON totals.claim_id = s.clm_id`;
}

export function claimLineInsertSql(): string {
  return `
    INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, rendering_npi, rendering_provider_found, tax_id,
      processing_indicator_code, processing_category, payment_amount_cents, allowed_amount_cents)
    SELECT claim_id, line_number, hcpcs_code, rendering_npi, NULL, tax_id, processing_indicator_code,
           processing_category, payment_amount_cents, allowed_amount_cents
      FROM carrier_lines`;
}
