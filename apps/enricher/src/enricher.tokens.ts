export const ENRICHER_CONFIG = Symbol('ENRICHER_CONFIG');
