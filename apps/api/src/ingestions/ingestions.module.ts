import { Module } from '@nestjs/common';
import { IngestionReportsRepository } from './ingestion-reports.repository';
import { IngestionReportsService } from './ingestion-reports.service';
import { IngestionsController } from './ingestions.controller';

@Module({
  controllers: [IngestionsController],
  providers: [IngestionReportsRepository, IngestionReportsService],
})
export class IngestionsModule {}
