import type { IngestReport } from '@claims/contracts';
import { BadRequestException, Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import { IngestFileRequestSchema } from './dto/ingest-file.dto';
import { FileIngestionService } from './file-ingestion.service';
import { IngestionError } from './ingestion.errors';

@Controller('v1/ingestions')
export class IngestionController {
  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    private readonly ingestion: FileIngestionService,
  ) {}

  /**
   * Replays a file that sits under INGEST_ROOT; answers with the ingest report
   * when every record is published. The ingestion stops, and its file is
   * closed, when the time limit passes or the client goes away.
   */
  @Post()
  @HttpCode(200)
  async ingestFile(@Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<IngestReport> {
    const parsed = IngestFileRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException({
        code: 'REQUEST_INVALID',
        fields: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
    }
    const limitSeconds = this.config.requestTimeoutSeconds;
    const abort = new AbortController();
    const timer = setTimeout(
      () =>
        abort.abort(new IngestionError('INGEST_TIMEOUT', `the ingestion ran over its ${limitSeconds}-second limit`)),
      limitSeconds * 1000,
    );
    // 'close' before the response is written means the client disconnected.
    const onClose = (): void => {
      if (!response.writableEnded) abort.abort(new IngestionError('INGEST_ABORTED', 'the client disconnected'));
    };
    response.once('close', onClose);
    try {
      return await this.ingestion.ingestFile(parsed.data.file, {
        ...(parsed.data.ratePerSecond === undefined ? {} : { ratePerSecond: parsed.data.ratePerSecond }),
        signal: abort.signal,
      });
    } finally {
      clearTimeout(timer);
      response.off('close', onClose);
    }
  }
}
