import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IngestFileRequestSchema } from '@claims/contracts';
import type { IngestJobView } from './ingest-job-registry';
import { IngestJobsService } from './ingest-jobs.service';

/** Where a job's status is read: what a 202 points to. */
export function ingestJobPath(ingestId: string): string {
  return `/v1/ingestions/${ingestId}`;
}

@Controller('v1/ingestions')
export class IngestJobsController {
  constructor(private readonly jobs: IngestJobsService) {}

  /**
   * Starts ingesting a file that sits under INGEST_ROOT and answers 202 at
   * once with the job and where to follow it. A file refused as a whole
   * (outside the root, missing, empty, of no known layout, not of the named
   * layout) is refused here, synchronously; 429 when enough jobs run already.
   */
  @Post()
  @HttpCode(202)
  async start(@Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<IngestJobView> {
    const parsed = IngestFileRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException({
        code: 'REQUEST_INVALID',
        // An unknown field (a misspelt `dryRun`) is named by its key; an issue of the body as a whole as `body`.
        fields: [
          ...new Set(
            parsed.error.issues.flatMap((issue) =>
              issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || 'body'],
            ),
          ),
        ],
      });
    }
    const { file, ...settings } = parsed.data;
    const { view } = await this.jobs.start(file, settings, { origin: 'request' });
    response.setHeader('location', ingestJobPath(view.ingestId));
    return view;
  }

  /** The remembered jobs of every door, newest first. */
  @Get()
  list(): { ingestions: IngestJobView[] } {
    return { ingestions: this.jobs.registry.list() };
  }

  /** One job: running, completed (with its report) or failed (with its error code and message). */
  @Get(':ingestId')
  status(@Param('ingestId') ingestId: string): IngestJobView {
    return this.jobs.registry.get(ingestId);
  }

  /** Cancels a running job; it shows as failed with INGEST_CANCELLED once its file is closed. */
  @Delete(':ingestId')
  @HttpCode(202)
  cancel(@Param('ingestId') ingestId: string): IngestJobView {
    return this.jobs.registry.cancel(ingestId);
  }
}
