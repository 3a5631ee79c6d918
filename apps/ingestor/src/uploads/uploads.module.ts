import { Module } from '@nestjs/common';
import { IngestJobsModule } from '../ingest-jobs/ingest-jobs.module';
import { UploadsController } from './uploads.controller';

/** The upload door: POST /v1/uploads streams the body to disk under the ingest root, then ingests it as a job. */
@Module({
  imports: [IngestJobsModule],
  controllers: [UploadsController],
})
export class UploadsModule {}
