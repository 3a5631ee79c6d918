import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimsOf837 } from './claim-837';
import { x12LayoutOf } from './x12-layouts';
import { X12Error } from './x12.errors';
import { X12_SAMPLES, centsOf, rawSegments, samplePaths, transactionSetsOfFile } from './__tests__/x12-samples';

const patientTokenKey = 'unit-test-key-0123456789';
const professional = { kind: 'professional', patientTokenKey } as const;
const institutional = { kind: 'institutional', patientTokenKey } as const;

async function claimsOfFile(path: string, options: typeof professional | typeof institutional) {
  const sets = await transactionSetsOfFile(path);
  return sets.flatMap((set) => claimsOf837(set.segments, options));
}

describe('claimsOf837', () => {
  it('maps two institutional claims under one billing provider, each with its own subscriber, lines and bill type', async () => {
    const path = join(X12_SAMPLES, 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i');
    const [first, second, ...others] = await claimsOfFile(path, institutional);
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      claimId: '756048Q',
      claimType: 'institutional_outpatient',
      billType: '131',
      payer: 'TRICARE',
      billingNpi: '1234567890',
      billingTaxId: '123456789',
      attendingNpi: '1122334455',
      billedAmountCents: 8995,
      serviceFromDate: '2005-03-15',
      serviceThroughDate: '2005-03-15',
      diagnoses: [
        { code: '3669', system: 'ICD-9-CM' },
        { code: '4019', system: 'ICD-9-CM' },
        { code: '79431', system: 'ICD-9-CM' },
      ],
    });
    expect(
      first?.lines.map((line) => [line.revenueCode, line.hcpcsCode, line.chargeAmountCents, line.serviceUnitCount]),
    ).toEqual([
      ['0305', '85025', 1339, 1],
      ['0730', '93005', 7656, 3],
    ]);
    expect(second).toMatchObject({ claimId: '756049Q', billedAmountCents: 5000, attendingNpi: '9999999999' });
    // Two subscribers, two tokens; never the member id itself.
    expect(first?.patientToken).not.toBe(second?.patientToken);
    expect(JSON.stringify([first, second])).not.toContain('030005074');
  });

  it('maps a professional claim for a dependent: place of service, lines with modifiers, pointers and dates', async () => {
    const path = join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.example1.837');
    const [claim] = await claimsOfFile(path, professional);
    expect(claim).toMatchObject({
      claimId: '26463774',
      claimType: 'professional',
      placeOfServiceCode: '11',
      billType: null,
      payer: 'KEY INSURANCE COMPANY',
      billingNpi: '1912301953',
      billedAmountCents: 10000,
      serviceFromDate: '2006-10-03',
      serviceThroughDate: '2006-10-10',
    });
    expect(claim?.diagnoses).toEqual([
      { code: '0340', system: 'ICD-9-CM' },
      { code: 'V7389', system: 'ICD-9-CM' },
    ]);
    expect(
      claim?.lines.map((line) => [line.hcpcsCode, line.chargeAmountCents, line.diagnosisCode, line.serviceDate]),
    ).toEqual([
      ['99213', 4000, '0340', '2006-10-03'],
      ['87070', 1500, '0340', '2006-10-03'],
      ['99214', 3500, 'V7389', '2006-10-10'],
      ['86663', 1000, 'V7389', '2006-10-10'],
    ]);
    expect(claim?.lines.every((line) => line.processingCategory === 'unknown' && line.paymentAmountCents === 0)).toBe(
      true,
    );
  });

  it("gives a dependent a token of their own, apart from the subscriber's", async () => {
    const path = join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.example1.837');
    const [set] = await transactionSetsOfFile(path);
    const segments = set?.segments ?? [];
    const withoutPatientLoop = segments.filter(
      (segment) => !['PAT', 'DMG'].includes(segment.tag) && !(segment.tag === 'NM1' && segment.elements[1] === 'QC'),
    );
    const [dependent] = claimsOf837(segments, professional);
    const [subscriber] = claimsOf837(withoutPatientLoop, professional);
    expect(dependent?.patientToken).not.toBe(subscriber?.patientToken);
  });

  it("keeps the claim's rendering provider when a 2330D names the other payer's, as in a COB claim", async () => {
    const path = join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.cob.example3.C.837');
    expect(readFileSync(path, 'utf8')).toContain('NM1*82*1~');
    const [claim] = await claimsOfFile(path, professional);
    expect(claim?.renderingProvider).toEqual({ npi: '1999996666', firstName: 'BEN', lastName: 'KILDARE' });
    expect(claim?.lines.every((line) => line.renderingNpi === '1999996666')).toBe(true);
  });

  it("ends the claim on the last day of its lines' ranges when they are dated RD8, as a week of drug supply is", async () => {
    const path = join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.drug.example10.2.837');
    expect(readFileSync(path, 'utf8')).toContain('DTP*472*RD8*20040201-20040207');
    const [claim] = await claimsOfFile(path, professional);
    expect([claim?.serviceFromDate, claim?.serviceThroughDate]).toEqual(['2004-02-01', '2004-02-07']);
    expect(claim?.lines.every((line) => line.serviceDate === '2004-02-01')).toBe(true);
  });

  it('reads procedure modifiers from SV101-3 to SV101-6, never the description in SV101-7', async () => {
    const paths = samplePaths('linuxforhealth', '837_005010X222A2');
    const claims = (await Promise.all(paths.map((path) => claimsOfFile(path, professional)))).flat();
    const modified = paths.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      // Five samples write their composites with > though ISA16 declares : (CLM05 11>B>1 shows which).
      const used = (rawSegments(text, 'CLM')[0]?.[5] ?? '').charAt(2);
      return rawSegments(text, 'SV1').map((sv1) => (sv1[1] ?? '').split(used).slice(2, 6).filter(Boolean));
    });
    expect(claims.flatMap((claim) => claim.lines.map((line) => line.procedureModifiers))).toEqual(modified);
    expect(modified.some((modifiers) => modifiers.length > 0)).toBe(true);
  });

  it.each([
    ['837_005010X222A2', professional],
    ['837_005010X223A3', institutional],
  ] as const)(
    'maps every claim of every %s sample, charges to the cent of CLM02 and of the lines',
    async (folder, options) => {
      for (const path of samplePaths('linuxforhealth', folder)) {
        const text = readFileSync(path, 'utf8');
        const claims = await claimsOfFile(path, options);
        const clms = rawSegments(text, 'CLM');
        expect(claims.map((claim) => [claim.claimId, claim.billedAmountCents])).toEqual(
          clms.map((clm) => [clm[1], centsOf(clm[2])]),
        );
        const lineTag = options.kind === 'professional' ? 'SV1' : 'SV2';
        const lineCharges = rawSegments(text, lineTag).map((line) =>
          centsOf(line[options.kind === 'professional' ? 2 : 3]),
        );
        expect(claims.flatMap((claim) => claim.lines.map((line) => line.chargeAmountCents))).toEqual(lineCharges);
      }
    },
  );

  it('locates an amount that does not parse at its segment and element', () => {
    const text = readFileSync(join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.example1.837'), 'utf8');
    return transactionSetsOfFile(join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.example1.837')).then(
      (sets) => {
        const segments = (sets[0]?.segments ?? []).map((segment) =>
          segment.tag === 'CLM'
            ? { ...segment, elements: segment.elements.map((value, index) => (index === 2 ? '1OO.00' : value)) }
            : segment,
        );
        expect(text).toContain('CLM*26463774*100.00');
        let caught: unknown;
        try {
          claimsOf837(segments, professional);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(X12Error);
        expect(caught).toMatchObject({
          code: 'X12_AMOUNT_INVALID',
          location: { segmentNumber: 27, elementPosition: 2 },
        });
      },
    );
  });

  it.each([
    ['837_005010X222A2', professional],
    ['837_005010X223A3', institutional],
  ] as const)(
    'reads the codes of %s samples whose composites use a separator ISA16 does not declare (HC>98940 under :)',
    async (folder, options) => {
      let redeclared = 0;
      for (const path of samplePaths('linuxforhealth', folder)) {
        const text = readFileSync(path, 'utf8');
        // The test's own reading: ISA16 is the 105th character; CLM05 (11:B:1) shows what the claims really use.
        const declared = text.charAt(104);
        const clm05 = rawSegments(text, 'CLM')[0]?.[5] ?? '';
        const used = clm05.includes(declared) ? declared : clm05.charAt(2);
        if (used !== declared) redeclared += 1;
        const lineProcedure = options.kind === 'professional' ? 1 : 2;
        const procedures = rawSegments(text, options.kind === 'professional' ? 'SV1' : 'SV2').map(
          (line) => (line[lineProcedure] ?? '').split(used)[1] || null,
        );
        const principal = rawSegments(text, 'HI')
          .flatMap((hi) => hi.slice(1).map((composite) => composite.split(used)))
          .filter(([qualifier]) => qualifier === 'BK' || qualifier === 'ABK')
          .map(([, code]) => code);
        const claims = await claimsOfFile(path, options);
        expect(claims.flatMap((claim) => claim.lines.map((line) => line.hcpcsCode))).toEqual(procedures);
        expect(claims.map((claim) => claim.diagnoses[0]?.code)).toEqual(principal);
        for (const claim of claims) {
          const [facility, , frequency] = clm05.split(used);
          expect([claim.placeOfServiceCode, claim.billType, claim.frequencyCode]).toEqual(
            options.kind === 'professional'
              ? [facility, null, frequency]
              : [null, `${facility}${frequency}`, frequency],
          );
          expect(claim.dataQuality.map((finding) => finding.code).includes('COMPONENT_SEPARATOR_UNDECLARED')).toBe(
            used !== declared,
          );
        }
      }
      expect(redeclared).toBe(options.kind === 'professional' ? 5 : 2);
    },
  );
});

describe('x12LayoutOf', () => {
  it('reports a 4010 claim as X12_VERSION_UNSUPPORTED instead of reading it', async () => {
    const [set] = await transactionSetsOfFile(
      join(X12_SAMPLES, 'linuxforhealth', '837_004010X098A1', 'patient-is-subscriber.837'),
    );
    expect(() => x12LayoutOf(set!)).toThrow(expect.objectContaining({ code: 'X12_VERSION_UNSUPPORTED' }));
  });

  it('names the layout of 837P, 837I, 835 and 999 transaction sets by their implementation guide', async () => {
    const layoutOf = async (...path: string[]) =>
      (await transactionSetsOfFile(join(X12_SAMPLES, ...path))).map(x12LayoutOf);
    expect(await layoutOf('linuxforhealth', '837_005010X222A2', 'demo.example1.837')).toEqual(['x12.837p']);
    expect(await layoutOf('linuxforhealth', '837_005010X223A3', 'institutional-claim.837i')).toEqual(['x12.837i']);
    expect(await layoutOf('linuxforhealth', '835_005010X221A1', 'managed-care.835')).toEqual(['x12.835']);
    expect(await layoutOf('pyx12', '834_lui_id_5010.999.txt')).toEqual(['x12.999', 'x12.999', 'x12.999', 'x12.999']);
  });
});
