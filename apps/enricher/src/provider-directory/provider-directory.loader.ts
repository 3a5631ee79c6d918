import { parseNppesRows } from '@claims/enrichment';
import { LOGGER } from '@claims/observability';
import { Inject, Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { EnricherConfig } from '../enricher.config';
import { ENRICHER_CONFIG } from '../enricher.tokens';
import { ProviderDirectoryRepository } from './provider-directory.repository';

/**
 * Loads the configured NPPES files; the consumer calls it before it starts so
 * the first batch already sees them. Loading is an upsert: restarts are harmless.
 */
@Injectable()
export class ProviderDirectoryLoader {
  constructor(
    @Inject(ENRICHER_CONFIG) private readonly config: EnricherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: ProviderDirectoryRepository,
  ) {}

  async loadConfiguredFiles(): Promise<void> {
    for (const file of this.config.providerDirectoryFiles) {
      // NPPES extracts given to the enricher are small reference files; the
      // full monthly file goes through the reference topic instead.
      const entries = parseNppesRows((await readFile(file, 'utf8')).split(/\r?\n/));
      await this.repository.upsert(entries, basename(file));
      this.logger.info({ file: basename(file), providers: entries.length }, 'provider directory loaded');
    }
  }
}
