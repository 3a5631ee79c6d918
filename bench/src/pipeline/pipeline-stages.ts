/** The stages a record passes through, in order (the API only reads). */
export const PIPELINE_STAGES = ['ingestor', 'normalizer', 'enricher', 'metrics'] as const;
export type PipelineStageName = (typeof PIPELINE_STAGES)[number];
