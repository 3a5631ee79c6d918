import { BadRequestException } from '@nestjs/common';

/** The longest claim id a source writes that we accept in a path (X12 CLM01 is at most 38; exports vary). */
export const MAX_CLAIM_ID_LENGTH = 128;

/**
 * Printable ASCII, no leading or trailing blank: every claim id the layouts
 * produce (DE-SynPUF CLM_ID, X12 CLM01 and CLP01, `x12-ts:` set ids, export
 * claim numbers). Anything else cannot name a stored claim, so it is refused
 * before it reaches a query, and never echoed back.
 */
const CLAIM_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export function isClaimId(value: string): boolean {
  return value.length <= MAX_CLAIM_ID_LENGTH && CLAIM_ID.test(value);
}

/** The claim id of a path, or a 400 naming the field. */
export function parseClaimId(value: string): string {
  if (!isClaimId(value)) throw new BadRequestException({ code: 'REQUEST_INVALID', fields: ['claimId'] });
  return value;
}
