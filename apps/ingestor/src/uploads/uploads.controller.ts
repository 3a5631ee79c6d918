import { LOGGER } from '@claims/observability';
import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm, rmdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import { UploadQuerySchema, invalidFields } from '@claims/contracts';
import { IngestionError } from '../ingestion/ingestion.errors';
import { ingestJobPath } from '../ingest-jobs/ingest-jobs.controller';
import type { IngestJobView } from '../ingest-jobs/ingest-job-registry';
import { IngestJobsService } from '../ingest-jobs/ingest-jobs.service';
import { INCOMING_UPLOAD_PREFIX, removeAbandonedUploads } from './abandoned-uploads';
import { receiveUpload, refuseDeclaredOversize } from './upload-body';

/** An upload that sends nothing for this long is dropped (its partial file removed). */
const UPLOAD_IDLE_MILLISECONDS = 60_000;
/** Body types a body parser would have read already: a file is sent as bytes (application/octet-stream). */
const PARSED_CONTENT_TYPES = /^application\/(json|x-www-form-urlencoded)/i;

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * POST /v1/uploads?name=claims.csv: the body is the file. It is streamed to
 * `<INGEST_ROOT>/uploads/<sha256 prefix>/<name>` (the same bytes land in the
 * same place) and then ingested as a job, as POST /v1/ingestions would.
 */
@Controller('v1/uploads')
export class UploadsController implements OnApplicationBootstrap {
  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly jobs: IngestJobsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Node ends any request still arriving after five minutes (server.requestTimeout); a 4 GiB
    // upload may take longer, so uploads are held to an idle limit of their own instead.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) server.requestTimeout = 0;
    // An ingestor killed mid-upload leaves its partial file behind: the next start removes it.
    // A folder it cannot clean is no reason not to start; an upload into it fails on its own.
    await removeAbandonedUploads(this.uploadsFolder(), UPLOAD_IDLE_MILLISECONDS).then(
      (removed) => {
        if (removed > 0) this.logger.warn({ removed }, 'partial files of abandoned uploads removed');
      },
      (error: unknown) => this.logger.warn({ err: error }, 'could not remove the partial files of abandoned uploads'),
    );
  }

  private uploadsFolder(): string {
    return join(this.config.ingestRoot, 'uploads');
  }

  @Post()
  @HttpCode(202)
  async upload(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestJobView> {
    const parsed = UploadQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new BadRequestException({
        code: 'REQUEST_INVALID',
        fields: invalidFields(parsed.error),
      });
    }
    if (PARSED_CONTENT_TYPES.test(request.headers['content-type'] ?? '')) {
      throw new UnsupportedMediaTypeException({
        code: 'UPLOAD_CONTENT_TYPE',
        message: 'send the file as its bytes (application/octet-stream)',
      });
    }
    const { name, ...settings } = parsed.data;
    try {
      refuseDeclaredOversize(request.headers['content-length'], this.config.maxUploadBytes);
      this.jobs.registry.assertCapacity();
    } catch (error) {
      // Nothing of the body is read: the connection closes after the answer rather than reading it all.
      response.setHeader('connection', 'close');
      throw error;
    }

    const uploads = this.uploadsFolder();
    await mkdir(uploads, { recursive: true });
    const partial = join(uploads, `${INCOMING_UPLOAD_PREFIX}${randomUUID()}`);
    request.setTimeout(UPLOAD_IDLE_MILLISECONDS, () =>
      request.destroy(new Error(`no upload bytes for ${UPLOAD_IDLE_MILLISECONDS / 1000} s`)),
    );
    let received;
    try {
      received = await receiveUpload(request, partial, this.config.maxUploadBytes);
    } finally {
      request.setTimeout(0);
    }
    const folder = join(uploads, received.sha256.slice(0, 16));
    const stored = join(folder, name);
    await mkdir(folder, { recursive: true });
    const storedBefore = await exists(stored);
    if (storedBefore) await rm(partial, { force: true });
    else await rename(partial, stored);
    this.logger.info({ source: name, bytes: received.bytes, fileId: received.sha256 }, 'upload received');

    try {
      const { view, finished } = await this.jobs.start(stored, settings, { origin: 'upload' });
      // A dry run's upload was only sent to be checked: it is not kept once the check is done.
      if (settings.dryRun && !storedBefore) {
        void finished.then(() => this.discard(stored, folder)).catch(() => undefined);
      }
      response.setHeader('location', ingestJobPath(view.ingestId));
      return view;
    } catch (error) {
      // A file refused as a whole is not kept (unless the same bytes were uploaded and kept before).
      if (error instanceof IngestionError && !storedBefore) await this.discard(stored, folder);
      throw error;
    }
  }

  private async discard(stored: string, folder: string): Promise<void> {
    await rm(stored, { force: true });
    await rmdir(folder).catch(() => undefined);
  }
}
