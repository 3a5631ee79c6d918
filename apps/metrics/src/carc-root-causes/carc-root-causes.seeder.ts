import { seedCarcRootCauses, shippedCarcRootCauses, shippedCarcRootCausesPath } from '@claims/kpi';
import { LOGGER } from '@claims/observability';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

/**
 * Reads rules/carc-root-causes.csv when the service starts (a file that does
 * not validate stops the start, naming the line) and copies it into
 * carc_root_cause, the table the denial family's batch SQL classifies CARCs
 * with. Runs before the consumers start (module init precedes bootstrap) and
 * after the migrations (the database module initialises first), so the fold
 * and `verify` read the same mapping.
 */
@Injectable()
export class CarcRootCausesSeeder implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const rootCauses = shippedCarcRootCauses();
    // One transaction: a reader sees the old mapping or the new one, never a mix.
    await this.dataSource.transaction((manager) => seedCarcRootCauses(manager, rootCauses));
    this.logger.info({ file: shippedCarcRootCausesPath(), carcs: rootCauses.rows.length }, 'CARC root causes loaded');
  }
}
