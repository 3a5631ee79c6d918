import { Module } from '@nestjs/common';
import { IngestJobsModule } from '../ingest-jobs/ingest-jobs.module';
import { InboxWatcher } from './inbox-watcher.service';

/** The inbox door: files dropped into INGEST_INBOX are ingested once each. */
@Module({
  imports: [IngestJobsModule],
  providers: [InboxWatcher],
})
export class InboxModule {}
