import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IngestJobsModule } from '../ingest-jobs/ingest-jobs.module';
import { ServiceCredentialGuard } from './service-credential.guard';
import { UploadsController } from './uploads.controller';

/**
 * The upload door: POST /v1/uploads streams the body to disk under the ingest
 * root, then ingests it as a job. It also holds the service credential, as a
 * global guard, because it guards every /v1 door of the service alike.
 */
@Module({
  imports: [IngestJobsModule],
  controllers: [UploadsController],
  providers: [{ provide: APP_GUARD, useClass: ServiceCredentialGuard }],
})
export class UploadsModule {}
