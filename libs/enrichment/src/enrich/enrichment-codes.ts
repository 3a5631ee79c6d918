/**
 * The code lists enrichment resolves names from (loaded elsewhere from the
 * vendored terminology files): NUCC taxonomy code → specialty name, and SSA
 * state code → state name and USPS abbreviation. A structural type, so the
 * loader and this lib need not import each other.
 */
export interface EnrichmentCodes {
  taxonomySpecialty: ReadonlyMap<string, string>;
  ssaStates: ReadonlyMap<string, { name: string; usps: string | null }>;
}

/** No names at all: what the pend rules' re-evaluation uses, since no rule reads a name. */
export const EMPTY_ENRICHMENT_CODES: EnrichmentCodes = {
  taxonomySpecialty: new Map(),
  ssaStates: new Map(),
};

// Built once per code list, not per claim: the SSA table is keyed by SSA code, addresses carry USPS.
const stateNamesByUspsCache = new WeakMap<EnrichmentCodes['ssaStates'], ReadonlyMap<string, string>>();

/** State name by USPS abbreviation, derived from the SSA table (the first SSA code naming an abbreviation wins). */
export function stateNamesByUsps(codes: EnrichmentCodes): ReadonlyMap<string, string> {
  const cached = stateNamesByUspsCache.get(codes.ssaStates);
  if (cached !== undefined) return cached;
  const byUsps = new Map<string, string>();
  for (const state of codes.ssaStates.values()) {
    if (state.usps !== null && !byUsps.has(state.usps)) byUsps.set(state.usps, state.name);
  }
  stateNamesByUspsCache.set(codes.ssaStates, byUsps);
  return byUsps;
}
