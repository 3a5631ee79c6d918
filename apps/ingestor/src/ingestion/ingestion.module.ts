import { Module } from '@nestjs/common';
import { FileIngestionService } from './file-ingestion.service';

/** The use case every door reaches: reading a file into raw events (or checking it, for a dry run). */
@Module({
  providers: [FileIngestionService],
  exports: [FileIngestionService],
})
export class IngestionModule {}
