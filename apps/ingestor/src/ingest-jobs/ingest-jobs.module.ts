import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { IngestionErrorFilter } from '../ingestion/ingestion-error.filter';
import { IngestionModule } from '../ingestion/ingestion.module';
import { IngestJobsController } from './ingest-jobs.controller';
import { IngestJobsService } from './ingest-jobs.service';

/** The HTTP door: POST /v1/ingestions answers 202 with a job to follow (GET) or cancel (DELETE). */
@Module({
  imports: [IngestionModule],
  controllers: [IngestJobsController],
  providers: [IngestJobsService, { provide: APP_FILTER, useClass: IngestionErrorFilter }],
  exports: [IngestJobsService],
})
export class IngestJobsModule {}
