import type { ProviderDirectoryEntry } from '@claims/enrichment';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The provider directory table: loaded from NPPES files, looked up by NPI once per batch. */
@Injectable()
export class ProviderDirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(entries: readonly ProviderDirectoryEntry[], source: string): Promise<void> {
    if (entries.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO reference_provider (npi, entity_type, display_name, taxonomy_code, practice_state, source)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (npi) DO UPDATE SET
         entity_type = EXCLUDED.entity_type, display_name = EXCLUDED.display_name,
         taxonomy_code = EXCLUDED.taxonomy_code, practice_state = EXCLUDED.practice_state,
         source = EXCLUDED.source, updated_at = now()`,
      [
        entries.map((entry) => entry.npi),
        entries.map((entry) => entry.entityType),
        entries.map((entry) => entry.displayName),
        entries.map((entry) => entry.taxonomyCode),
        entries.map((entry) => entry.practiceState),
        entries.map(() => source),
      ],
    );
  }

  async findByNpis(npis: readonly string[]): Promise<Map<string, ProviderDirectoryEntry>> {
    if (npis.length === 0) return new Map();
    const rows: Array<{
      npi: string;
      entity_type: ProviderDirectoryEntry['entityType'];
      display_name: string;
      taxonomy_code: string | null;
      practice_state: string | null;
    }> = await this.dataSource.query(
      `SELECT npi, entity_type, display_name, taxonomy_code, practice_state
         FROM reference_provider WHERE npi = ANY($1::text[])`,
      [npis],
    );
    return new Map(
      rows.map((row) => [
        row.npi,
        {
          npi: row.npi,
          entityType: row.entity_type,
          displayName: row.display_name,
          taxonomyCode: row.taxonomy_code,
          practiceState: row.practice_state,
        },
      ]),
    );
  }
}
