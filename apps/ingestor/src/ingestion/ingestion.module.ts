import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FileIngestionService } from './file-ingestion.service';
import { IngestionController } from './ingestion.controller';
import { IngestionErrorFilter } from './ingestion-error.filter';

@Module({
  controllers: [IngestionController],
  providers: [FileIngestionService, { provide: APP_FILTER, useClass: IngestionErrorFilter }],
  exports: [FileIngestionService],
})
export class IngestionModule {}
