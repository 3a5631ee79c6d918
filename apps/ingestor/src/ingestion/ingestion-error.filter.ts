import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { IngestionError, type IngestionErrorCode } from './ingestion.errors';

/** nginx's "client closed request": nobody reads it, but the access log says what happened. */
const CLIENT_CLOSED_REQUEST = 499;

const STATUS_BY_CODE: Record<IngestionErrorCode, number> = {
  FILE_NOT_FOUND: HttpStatus.NOT_FOUND,
  PATH_OUTSIDE_INGEST_ROOT: HttpStatus.BAD_REQUEST,
  LAYOUT_UNKNOWN: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_EMPTY: HttpStatus.UNPROCESSABLE_ENTITY,
  INGEST_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  INGEST_ABORTED: CLIENT_CLOSED_REQUEST,
};

/** The HTTP edge is the only place a domain error becomes a status code. */
@Catch(IngestionError)
export class IngestionErrorFilter implements ExceptionFilter {
  catch(error: IngestionError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.status(STATUS_BY_CODE[error.code]).json({ code: error.code, message: error.message });
  }
}
