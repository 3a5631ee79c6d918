import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { IngestionError } from './ingestion.errors';

const STATUS_BY_CODE: Record<IngestionError['code'], number> = {
  FILE_NOT_FOUND: HttpStatus.NOT_FOUND,
  PATH_OUTSIDE_INGEST_ROOT: HttpStatus.BAD_REQUEST,
  LAYOUT_UNKNOWN: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_EMPTY: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** The HTTP edge is the only place a domain error becomes a status code. */
@Catch(IngestionError)
export class IngestionErrorFilter implements ExceptionFilter {
  catch(error: IngestionError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(STATUS_BY_CODE[error.code])
      .json({ code: error.code, message: error.message });
  }
}
