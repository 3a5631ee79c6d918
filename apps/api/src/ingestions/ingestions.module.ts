import { Module } from '@nestjs/common';
import { IngestionReportsRepository } from './ingestion-reports.repository';
import { IngestionReportsService } from './ingestion-reports.service';
import { IngestionsController } from './ingestions.controller';
import { IngestorClient } from './ingestor-client';

@Module({
  controllers: [IngestionsController],
  providers: [IngestionReportsRepository, IngestionReportsService, IngestorClient],
})
export class IngestionsModule {}
