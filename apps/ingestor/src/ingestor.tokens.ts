export const INGESTOR_CONFIG = Symbol('INGESTOR_CONFIG');
