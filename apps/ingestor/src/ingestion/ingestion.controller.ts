import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { isAbsolute, relative, resolve } from 'node:path';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import type { IngestReport } from '@claims/contracts';
import { IngestFileRequestSchema } from './dto/ingest-file.dto';
import { FileIngestionService } from './file-ingestion.service';
import { IngestionError } from './ingestion.errors';

@Controller('v1/ingestions')
export class IngestionController {
  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    private readonly ingestion: FileIngestionService,
  ) {}

  /** Replays a file that sits under INGEST_ROOT; answers with the ingest report when every record is published. */
  @Post()
  @HttpCode(200)
  async ingestFile(@Body() body: unknown): Promise<IngestReport> {
    const parsed = IngestFileRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException({
        code: 'REQUEST_INVALID',
        fields: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
    }
    const path = resolve(this.config.ingestRoot, parsed.data.file);
    const fromRoot = relative(this.config.ingestRoot, path);
    if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
      throw new IngestionError('PATH_OUTSIDE_INGEST_ROOT', 'the file must be under the ingest root');
    }
    return this.ingestion.ingestFile(path, { ratePerSecond: parsed.data.ratePerSecond });
  }
}
