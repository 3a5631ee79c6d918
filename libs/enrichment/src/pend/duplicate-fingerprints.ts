import { hash } from 'node:crypto';
import type { ClaimEvent } from '@claims/contracts';

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
 * fingerprint short and opaque.
 */
export function duplicateFingerprints(event: ClaimEvent): readonly string[] {
  const remembered = fingerprintsByEvent.get(event);
  if (remembered !== undefined) return remembered;
  const claim = event.claim;
  const fingerprints: string[] = [];
  const add = (npi: string | null | undefined, serviceDate: string, code: string | null | undefined): void => {
    // One-shot hash: a third of the cost of createHash().update().digest() per line.
    const fingerprint = hash('sha256', `${claim.patientToken}|${npi ?? ''}|${serviceDate}|${code ?? ''}`, 'hex');
    if (!fingerprints.includes(fingerprint)) fingerprints.push(fingerprint);
  };
  for (const line of claim.lines) {
    add(
      line.renderingNpi ?? claim.billingNpi,
      line.serviceDate ?? claim.serviceFromDate,
      line.hcpcsCode ?? line.revenueCode ?? line.ndcCode,
    );
  }
  if (claim.lines.length === 0) {
    add(claim.renderingProvider?.npi ?? claim.billingNpi, claim.serviceFromDate, claim.drug?.ndcCode ?? claim.drgCode);
  }
  fingerprintsByEvent.set(event, fingerprints);
  return fingerprints;
}

const DAY_MILLISECONDS = 86_400_000;

/** Whole days between two ISO dates, either order. */
export function daysBetween(left: string, right: string): number {
  return Math.abs(Date.parse(left) - Date.parse(right)) / DAY_MILLISECONDS;
}
