import { hash } from 'node:crypto';
import type { ClaimEvent } from '@claims/contracts';
import { claimNpiOf } from '../enrich';

/** Who first held a fingerprint: the caller's record of it (the enricher keeps them in Postgres). */
export interface FingerprintHolder {
  claimId: string;
  /** Event date of the holder's claim. */
  occurredAt: string;
}

/**
 * What the pend rules need from outside the claim. The caller decides which
 * claim holds a fingerprint: the first claim seen in event-time order keeps
 * it (ties broken by claim id), so the earlier of two twins passes and the
 * later one pends, whichever arrived first on the topic.
 */
export interface PendContext {
  duplicateOf(fingerprint: string): FingerprintHolder | undefined;
}

/** A context with no fingerprints on record: nothing is a duplicate. */
export const NO_DUPLICATES: PendContext = { duplicateOf: () => undefined };

// The enricher computes a claim's fingerprints to store them and the duplicate rule needs them again:
// remembered per event object, so each claim is hashed once.
const fingerprintsByEvent = new WeakMap<ClaimEvent, readonly string[]>();

/**
 * The claim's duplicate fingerprints: per line (or for the claim, when it has
 * no lines), SHA-256 of `patientToken|npi|serviceDate|code`, with the line's
 * rendering NPI (else the claim's billing NPI), the line's service date (else
 * the claim's from date) and its HCPCS code (else revenue code, else NDC, so
 * two different drugs filled the same day are not twins). Distinct, in line
 * order. The token is a keyed hash already; hashing again keeps the stored
 * fingerprint short and opaque. Each is the digest's first 128 bits in UUID
 * form (fingerprintOf): the enricher stores one row per line in a table whose
 * key is the fingerprint, and a 16-byte uuid key keeps that index a third of
 * the size of the 64-character hex one, so a batch's random inserts touch
 * fewer pages (the duplicate rule's statement was the enricher's costliest).
 */
export function duplicateFingerprints(event: ClaimEvent): readonly string[] {
  const remembered = fingerprintsByEvent.get(event);
  if (remembered !== undefined) return remembered;
  const claim = event.claim;
  const fingerprints: string[] = [];
  const add = (npi: string | null | undefined, serviceDate: string, code: string | null | undefined): void => {
    const fingerprint = fingerprintOf(`${claim.patientToken}|${npi ?? ''}|${serviceDate}|${code ?? ''}`);
    if (!fingerprints.includes(fingerprint)) fingerprints.push(fingerprint);
  };
  // Read as enrichment reads them: a provider's NPI padded on one of two twins must not tell them apart.
  const billingNpi = claimNpiOf(claim.billingNpi);
  for (const line of claim.lines) {
    add(
      claimNpiOf(line.renderingNpi) ?? billingNpi,
      line.serviceDate ?? claim.serviceFromDate,
      line.hcpcsCode ?? line.revenueCode ?? line.ndcCode,
    );
  }
  if (claim.lines.length === 0) {
    add(
      claimNpiOf(claim.renderingProvider?.npi) ?? billingNpi,
      claim.serviceFromDate,
      claim.drug?.ndcCode ?? claim.drgCode,
    );
  }
  fingerprintsByEvent.set(event, fingerprints);
  return fingerprints;
}

/**
 * The first 128 bits of SHA-256 of `text`, as Postgres prints a uuid
 * (lowercase, 8-4-4-4-12), so a fingerprint read back from the table is the
 * same string. 128 bits keep accidental twins out of reach: at a billion
 * stored lines the chance of any collision is about 1 in 10^20.
 */
function fingerprintOf(text: string): string {
  // One-shot hash: a third of the cost of createHash().update().digest() per line.
  const hex = hash('sha256', text, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const DAY_MILLISECONDS = 86_400_000;

/** Whole days between two ISO dates, either order. */
export function daysBetween(left: string, right: string): number {
  return Math.abs(Date.parse(left) - Date.parse(right)) / DAY_MILLISECONDS;
}
