import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { IngestionError, type IngestionErrorCode } from './ingestion.errors';

/** nginx's "client closed request": nobody reads it, but the access log says what happened. */
const CLIENT_CLOSED_REQUEST = 499;

export const HTTP_STATUS_BY_INGESTION_ERROR: Record<IngestionErrorCode, number> = {
  FILE_NOT_FOUND: HttpStatus.NOT_FOUND,
  PATH_OUTSIDE_INGEST_ROOT: HttpStatus.BAD_REQUEST,
  LAYOUT_UNKNOWN: HttpStatus.UNPROCESSABLE_ENTITY,
  LAYOUT_MISMATCH: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_EMPTY: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_UNREADABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_NAME_INVALID: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_COMPRESSION_INVALID: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_COMPRESSION_UNSUPPORTED: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_FORMAT_UNSUPPORTED: HttpStatus.UNPROCESSABLE_ENTITY,
  FILE_CHANGED: HttpStatus.CONFLICT,
  INGEST_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  INGEST_ABORTED: CLIENT_CLOSED_REQUEST,
  INGEST_CANCELLED: HttpStatus.CONFLICT,
  INGEST_BUSY: HttpStatus.TOO_MANY_REQUESTS,
  INGEST_NOT_FOUND: HttpStatus.NOT_FOUND,
  UPLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UPLOAD_INCOMPLETE: HttpStatus.BAD_REQUEST,
  TOPIC_UNREAD: HttpStatus.CONFLICT,
};

/** The HTTP edge is the only place a domain error becomes a status code. */
@Catch(IngestionError)
export class IngestionErrorFilter implements ExceptionFilter {
  catch(error: IngestionError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    // A busy ingestor says when to ask again, as RFC 9110 section 10.2.3 lets a 429 do.
    if (error.code === 'INGEST_BUSY') response.setHeader('retry-after', '5');
    response.status(HTTP_STATUS_BY_INGESTION_ERROR[error.code]).json({ code: error.code, message: error.message });
  }
}
