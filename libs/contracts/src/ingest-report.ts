/** What the ingestor answers (POST /v1/ingestions, or `main.js ingest`) once every record of a file is published. */
export interface IngestReport {
  source: string;
  fileId: string;
  layout: string;
  recordsRead: number;
  recordsPublished: number;
  blankLinesSkipped: number;
  durationSeconds: number;
}
