import { createHash } from 'node:crypto';
import { claimEvent, line, NPI, TOKEN } from '../enrich/__fixtures__/reference-fixtures';
import { duplicateFingerprints } from './duplicate-fingerprints';

/** The digest's first 128 bits in UUID form, written out independently of fingerprintOf. */
const sha256 = (text: string) =>
  createHash('sha256')
    .update(text)
    .digest('hex')
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

describe('duplicateFingerprints', () => {
  it('hashes token, rendering NPI, service date and HCPCS code per line', () => {
    const event = claimEvent({ lines: [line({ serviceDate: '2008-03-11' })] });

    expect(duplicateFingerprints(event)).toEqual([sha256(`${TOKEN}|${NPI.rendering}|2008-03-11|99213`)]);
  });

  it("falls back to the billing NPI, the claim's from date and the revenue code", () => {
    const event = claimEvent({
      billingNpi: NPI.billing,
      lines: [line({ renderingNpi: null, hcpcsCode: null, revenueCode: '0450' })],
    });

    expect(duplicateFingerprints(event)).toEqual([sha256(`${TOKEN}|${NPI.billing}|2008-03-10|0450`)]);
  });

  it('fingerprints a claim without lines by its rendering provider and from date', () => {
    const event = claimEvent({ lines: [], renderingProvider: { npi: NPI.second, firstName: null, lastName: null } });

    expect(duplicateFingerprints(event)).toEqual([sha256(`${TOKEN}|${NPI.second}|2008-03-10|`)]);
  });

  it('lists each distinct fingerprint once, in line order', () => {
    const event = claimEvent({
      lines: [line(), line({ lineNumber: 2 }), line({ lineNumber: 3, hcpcsCode: '36415' })],
    });

    expect(duplicateFingerprints(event)).toEqual([
      sha256(`${TOKEN}|${NPI.rendering}|2008-03-10|99213`),
      sha256(`${TOKEN}|${NPI.rendering}|2008-03-10|36415`),
    ]);
  });

  it('gives two claims with the same member, provider, date and code the same fingerprint whatever their ids', () => {
    const first = claimEvent({}, { claimId: 'CLM-A' });
    const second = claimEvent({ payer: 'OTHER' }, { claimId: 'CLM-B', occurredAt: '2008-04-01' });

    expect(duplicateFingerprints(second)).toEqual(duplicateFingerprints(first));
  });

  it('gives a claim naming its providers with padding the fingerprints of its unpadded twin', () => {
    const padded = claimEvent({
      billingNpi: ` ${NPI.billing} `,
      lines: [line({ renderingNpi: `${NPI.rendering} ` }), line({ lineNumber: 2, renderingNpi: null })],
    });
    const unpadded = claimEvent({
      billingNpi: NPI.billing,
      lines: [line(), line({ lineNumber: 2, renderingNpi: null })],
    });

    expect(duplicateFingerprints(padded)).toEqual(duplicateFingerprints(unpadded));
  });

  it('gives a different member the same day a different fingerprint', () => {
    expect(duplicateFingerprints(claimEvent({ patientToken: 'token-0002' }))).not.toEqual(
      duplicateFingerprints(claimEvent()),
    );
  });

  it('writes each fingerprint as Postgres prints a uuid, so one read back from the table is the same string', () => {
    const [fingerprint] = duplicateFingerprints(claimEvent());

    expect(fingerprint).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
