import { BadRequestException } from '@nestjs/common';

/**
 * The longest claim id the pipeline stores: a mapped layout holds each field,
 * the claim id's included, to its maxFieldLength (1,024 characters unless the
 * mapping file says otherwise, at most 65,536).
 */
export const MAX_CLAIM_ID_LENGTH = 65_536;

/**
 * Any claim id a source wrote and the pipeline stored: the readers keep the
 * text of the claim-id column as it stands (trimmed), non-ASCII letters and
 * long ids included, so the work queue and the drill-downs list such ids and
 * a client must be able to open and page past them. Only what no stored id
 * can be is refused before it reaches a query, and never echoed back: an
 * empty id, one past the longest field, one holding NUL (no Postgres text
 * holds it).
 */
export function isClaimId(value: string): boolean {
  return value.length >= 1 && value.length <= MAX_CLAIM_ID_LENGTH && !value.includes('\0');
}

/** The claim id of a path, or a 400 naming the field. */
export function parseClaimId(value: string): string {
  if (!isClaimId(value)) throw new BadRequestException({ code: 'REQUEST_INVALID', fields: ['claimId'] });
  return value;
}
