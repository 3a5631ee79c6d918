/** The stages a record passes through, in order (the API only reads). */
export const PIPELINE_STAGES = ['ingestor', 'normalizer', 'enricher', 'metrics'] as const;
export type PipelineStageName = (typeof PIPELINE_STAGES)[number];

/** The Postgres application_name of each stage that writes to Postgres: every instance of a service shares it. */
export const POSTGRES_APPLICATION_OF: Partial<Record<PipelineStageName, string>> = {
  enricher: 'claims-enricher',
  metrics: 'claims-metrics',
};
