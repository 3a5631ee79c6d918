/**
 * The filters the denial, payment, volume and top routes take, by query
 * parameter name: the pended-queue routes' claim fields (an exact value
 * each) and a service-date range, combined with AND. Pend reason and queue
 * are the pended queue's own: a denial or a payment has neither.
 */
export const CLAIM_FILTER_FIELDS = [
  'payer',
  'providerGroup',
  'renderingProvider',
  'state',
  'claimType',
  'serviceFrom',
  'serviceTo',
] as const;
export type ClaimFilterField = (typeof CLAIM_FILTER_FIELDS)[number];

/** The claim filters without the service-date range: for the member KPIs, whose range is their coverage year. */
export const CLAIM_FIELD_FILTER_FIELDS = CLAIM_FILTER_FIELDS.filter(
  (field) => field !== 'serviceFrom' && field !== 'serviceTo',
);

/** The filters asked for; a field left out does not filter. Dates are YYYY-MM-DD. */
export type ClaimFilter = Partial<Record<ClaimFilterField, string>>;

/**
 * The predicate each field adds over claim_state's unqualified columns,
 * given the placeholder of its value: the allow-list of what a filter may
 * touch. (`claim_id` unqualified: the batch SQL joins claim_state USING it.) The date range reads the service-through date, the date the
 * `month` dimension is cut by, both ends included.
 */
const CLAIM_FILTER_PREDICATES: Readonly<Record<ClaimFilterField, (placeholder: string) => string>> = {
  payer: (placeholder) => `payer = ${placeholder}`,
  providerGroup: (placeholder) => `provider_group = ${placeholder}`,
  // The claim keeps no rendering provider of its own: one of its lines names it.
  renderingProvider: (placeholder) =>
    `claim_id IN (SELECT rendering_line.claim_id FROM claim_line_state rendering_line WHERE rendering_line.rendering_npi = ${placeholder})`,
  state: (placeholder) => `state = ${placeholder}`,
  claimType: (placeholder) => `claim_type = ${placeholder}`,
  serviceFrom: (placeholder) => `service_through_date >= ${placeholder}::date`,
  serviceTo: (placeholder) => `service_through_date <= ${placeholder}::date`,
};

/** The fields given, in `fields`' order, each with its value. */
export function filterEntries<Field extends string>(
  fields: readonly Field[],
  filter: Partial<Record<Field, string>>,
): Array<[Field, string]> {
  return fields.flatMap((field) => {
    const value = filter[field];
    return value === undefined ? [] : [[field, value] as [Field, string]];
  });
}

/**
 * The AND of the given filters, values as placeholders from
 * `$firstParameter` on: `sql` is `''` without a filter, else
 * ` AND <predicate>` per field, to follow a WHERE. Only the predicates of
 * the allow-list reach the text; a value never does.
 */
export function filterPredicatesSql<Field extends string>(
  fields: readonly Field[],
  predicates: Readonly<Record<Field, (placeholder: string) => string>>,
  filter: Partial<Record<Field, string>>,
  firstParameter: number,
): { sql: string; parameters: string[] } {
  const entries = filterEntries(fields, filter);
  return {
    sql: entries.map(([field], index) => ` AND ${predicates[field](`$${firstParameter + index}`)}`).join(''),
    parameters: entries.map(([, value]) => value),
  };
}

export function claimFilterEntries(filter: ClaimFilter): Array<[ClaimFilterField, string]> {
  return filterEntries(CLAIM_FILTER_FIELDS, filter);
}

export function hasClaimFilter(filter: ClaimFilter): boolean {
  return claimFilterEntries(filter).length > 0;
}

/** The AND of the given filters over claim_state's unqualified columns (see filterPredicatesSql). */
export function claimFilterSql(filter: ClaimFilter, firstParameter: number): { sql: string; parameters: string[] } {
  return filterPredicatesSql(CLAIM_FILTER_FIELDS, CLAIM_FILTER_PREDICATES, filter, firstParameter);
}

/**
 * The claim filters as a condition on a claim id column of another table or
 * alias (`column`, a constant of the calling SQL, never a request's value):
 * ` AND <column> IN (the ids of the claims the filters keep)`, or `''`
 * without a filter. For queries that join claim_state to tables sharing its
 * column names (reference_member, x12_claim_lifecycle), where the unqualified
 * predicates of claimFilterSql would be ambiguous.
 */
export function claimIdFilterSql(
  column: string,
  filter: ClaimFilter,
  firstParameter: number,
): { sql: string; parameters: string[] } {
  const { sql, parameters } = claimFilterSql(filter, firstParameter);
  if (parameters.length === 0) return { sql: '', parameters };
  return { sql: ` AND ${column} IN (SELECT claim_id FROM claim_state WHERE true${sql})`, parameters };
}
