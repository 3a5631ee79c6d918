import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenizePatientId } from '@claims/source-layouts';
import { X12_SAMPLES, claims837OfText as claimsOfText, interchangeOfOneSet } from './__tests__/x12-samples';

/**
 * What the 005010 837 guides say the claim means (837P 005010X222A1, 837I
 * 005010X223A2), checked on the vendored samples and on hand-edited copies
 * written here: the HL hierarchy, which NM1 names whom in which loop, CLM,
 * HI, SV1/SV2 and DTP.
 */
const patientTokenKey = 'unit-test-key-0123456789';
const professional = { kind: 'professional', patientTokenKey } as const;
const institutional = { kind: 'institutional', patientTokenKey } as const;
const interchange = (version: '005010X222A1' | '005010X223A2', body: readonly string[]): string =>
  interchangeOfOneSet(version, body, '240101');

const sample = (folder: string, name: string): string =>
  readFileSync(join(X12_SAMPLES, 'linuxforhealth', folder, name), 'utf8');

/** Replaces the first segment that is exactly `from` with `to` (several segments, or none), SE01 kept true. */
function edit(text: string, from: string, ...to: string[]): string {
  const segments = text.split('~').map((segment) => segment.trim());
  const index = segments.indexOf(from);
  if (index < 0) throw new Error(`no segment ${from}`);
  segments.splice(index, 1, ...to);
  const st = segments.findIndex((segment) => segment.startsWith('ST*'));
  const se = segments.findIndex((segment) => segment.startsWith('SE*'));
  segments[se] = (segments[se] ?? '').replace(/^SE\*\d+\*/, `SE*${se - st + 1}*`);
  return segments.join('~\n');
}

const BILLING = ['BHT*0019*00*1*20240110*1200*CH', 'NM1*41*2*SUBMITTER*****46*S1', 'NM1*40*2*RECEIVER*****46*R1'];
const PROVIDER = (npi: string, taxId: string) => [
  'HL*1**20*1',
  `NM1*85*2*CLINIC ${npi}*****XX*${npi}`,
  'N3*1 MAIN ST',
  'N4*TOWN*NY*10001',
  `REF*EI*${taxId}`,
];
const SUBSCRIBER = (hl: number, parent: number, memberId: string, children: 0 | 1, payer = 'ACME HEALTH') => [
  `HL*${hl}*${parent}*22*${children}`,
  `SBR*P*${children ? '' : '18'}*******CI`,
  `NM1*IL*1*DOE*JOHN****MI*${memberId}`,
  'DMG*D8*19700101*M',
  `NM1*PR*2*${payer}*****PI*PAYER01`,
];
const PATIENT = (hl: number, parent: number, first: string, birth: string) => [
  `HL*${hl}*${parent}*23*0`,
  'PAT*19',
  `NM1*QC*1*DOE*${first}`,
  `DMG*D8*${birth}*F`,
];
const PROFESSIONAL_CLAIM = (id: string, charge = '100.00', lineCharges: string[] = ['100.00']) => [
  `CLM*${id}*${charge}***11:B:1*Y*A*Y*Y`,
  'HI*ABK:J069*ABF:R05',
  ...lineCharges.flatMap((lineCharge, index) => [
    `LX*${index + 1}`,
    `SV1*HC:99213*${lineCharge}*UN*1***1`,
    'DTP*472*D8*20240105',
  ]),
];

describe('837 hierarchy (2000A billing provider, 2000B subscriber, 2000C patient)', () => {
  it('gives every claim the billing provider, subscriber, patient and payer above it, however many there are', async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      ...SUBSCRIBER(2, 1, 'SUB-A', 0, 'PAYER A'),
      ...PROFESSIONAL_CLAIM('A-1'),
      ...PROFESSIONAL_CLAIM('A-2'),
      ...SUBSCRIBER(3, 1, 'SUB-B', 1, 'PAYER B'),
      ...PATIENT(4, 3, 'JANE', '20100101'),
      ...PROFESSIONAL_CLAIM('B-JANE-1'),
      ...PROFESSIONAL_CLAIM('B-JANE-2'),
      ...PATIENT(5, 3, 'JIM', '20120101'),
      ...PROFESSIONAL_CLAIM('B-JIM-1'),
      'HL*6**20*1',
      'NM1*85*2*OTHER CLINIC*****XX*2222222224',
      'REF*EI*222222222',
      ...SUBSCRIBER(7, 6, 'SUB-C', 0, 'PAYER C'),
      ...PROFESSIONAL_CLAIM('C-1'),
    ]);
    const claims = await claimsOfText(text, professional);
    expect(claims.map((claim) => [claim.claimId, claim.billingNpi, claim.billingTaxId, claim.payer])).toEqual([
      ['A-1', '1111111112', '111111111', 'PAYER A'],
      ['A-2', '1111111112', '111111111', 'PAYER A'],
      ['B-JANE-1', '1111111112', '111111111', 'PAYER B'],
      ['B-JANE-2', '1111111112', '111111111', 'PAYER B'],
      ['B-JIM-1', '1111111112', '111111111', 'PAYER B'],
      ['C-1', '2222222224', '222222222', 'PAYER C'],
    ]);
    const tokens = claims.map((claim) => claim.patientToken);
    // The subscriber who is the patient is known by the 2010BA member id.
    expect(tokens[0]).toBe(tokenizePatientId('SUB-A', patientTokenKey));
    expect(tokens[1]).toBe(tokens[0]);
    // Two dependents of one subscriber: apart from each other and from the subscriber, each the same on every claim.
    expect(tokens[2]).toBe(tokens[3]);
    expect(new Set([tokens[0], tokens[2], tokens[4], tokens[5]]).size).toBe(4);
    expect(tokens[4]).not.toBe(tokenizePatientId('SUB-B', patientTokenKey));
    expect(JSON.stringify(claims)).not.toMatch(/SUB-[ABC]/);
  });

  it("reads the billing provider's tax id from 2010AA only, never a payer's or pay-to plan's REF*EI", async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      'HL*1**20*1',
      'NM1*85*1*SOLO*DOCTOR****XX*1111111112',
      // 2010AA REF*SY: a sole practitioner's tax id is their social security number, which the claim does not keep.
      'REF*SY*123456789',
      // 2010AC pay-to plan, REF*EI its tax id.
      'NM1*PE*2*PAY TO PLAN*****PI*PTP01',
      'REF*EI*999999999',
      'HL*2*1*22*0',
      'SBR*P*18*******CI',
      'NM1*IL*1*DOE*JOHN****MI*SUB-A',
      'NM1*PR*2*ACME HEALTH*****PI*PAYER01',
      // 2010BB REF*EI: the payer's own employer identification number.
      'REF*EI*888888888',
      ...PROFESSIONAL_CLAIM('A-1'),
    ]);
    const [claim] = await claimsOfText(text, professional);
    expect(claim?.billingNpi).toBe('1111111112');
    expect(claim?.billingTaxId).toBeNull();
    expect(claim?.lines.map((line) => line.taxId)).toEqual([null]);
  });

  it('gives a subscriber or patient HL the parties of the HL its HL02 names, not of the HL that came last', async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      'HL*2*1*22*1',
      'SBR*P********CI',
      'NM1*IL*1*DOE*JOHN****MI*SUB-A',
      'NM1*PR*2*PAYER A*****PI*PA',
      'HL*3**20*1',
      'NM1*85*2*OTHER CLINIC*****XX*2222222224',
      'REF*EI*222222222',
      ...SUBSCRIBER(4, 3, 'SUB-B', 0, 'PAYER B'),
      ...PROFESSIONAL_CLAIM('B-1'),
      // Listed after provider 3's subscriber, but HL02 puts them under provider 1 and subscriber 2.
      ...SUBSCRIBER(5, 1, 'SUB-C', 0, 'PAYER C'),
      ...PROFESSIONAL_CLAIM('C-1'),
      ...PATIENT(6, 2, 'JANE', '20100101'),
      ...PROFESSIONAL_CLAIM('A-JANE-1'),
    ]);
    const claims = await claimsOfText(text, professional);
    expect(claims.map((claim) => [claim.claimId, claim.billingNpi, claim.billingTaxId, claim.payer])).toEqual([
      ['B-1', '2222222224', '222222222', 'PAYER B'],
      ['C-1', '1111111112', '111111111', 'PAYER C'],
      ['A-JANE-1', '1111111112', '111111111', 'PAYER A'],
    ]);
    expect(claims[1]?.patientToken).toBe(tokenizePatientId('SUB-C', patientTokenKey));
    const inOrder = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      'HL*2*1*22*1',
      'SBR*P********CI',
      'NM1*IL*1*DOE*JOHN****MI*SUB-A',
      'NM1*PR*2*PAYER A*****PI*PA',
      ...PATIENT(3, 2, 'JANE', '20100101'),
      ...PROFESSIONAL_CLAIM('A-JANE-1'),
    ]);
    // Jane is the same dependent of the same subscriber however the HLs are ordered.
    expect(claims[2]?.patientToken).toBe((await claimsOfText(inOrder, professional))[0]?.patientToken);
  });

  it('refuses an HL02 that names no earlier HL of the level above, or an HL01 used twice, at that element', async () => {
    const body = (...hierarchy: string[]) =>
      interchange('005010X222A1', [
        ...BILLING,
        ...PROVIDER('1111111112', '111111111'),
        ...hierarchy,
        'SBR*P*18*******CI',
        'NM1*IL*1*DOE*JOHN****MI*SUB-A',
        'NM1*PR*2*ACME HEALTH*****PI*PAYER01',
        ...PROFESSIONAL_CLAIM('A-1'),
      ]);
    // HL 6 is segment 12 of the file (ISA, GS, ST, the BHT and its two NM1s, the provider's five segments).
    for (const [hierarchy, elementPosition] of [
      [['HL*6**22*0'], 2],
      [['HL*6*9*22*0'], 2],
      [['HL*6*1*23*0'], 2],
      [['HL*1*1*22*0'], 1],
    ] as const) {
      await expect(claimsOfText(body(...hierarchy), professional)).rejects.toMatchObject({
        code: 'X12_SEGMENT_INVALID',
        location: { segmentNumber: 12, elementPosition },
      });
    }
  });
});

describe('837 parties by loop', () => {
  it("takes 2310B rendering and 2310C facility for their claim only, and lets 2420A override one line's rendering", async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      ...SUBSCRIBER(2, 1, 'SUB-A', 0),
      'CLM*A-1*150.00***11:B:1*Y*A*Y*Y',
      'HI*ABK:J069',
      'NM1*DN*1*REFERRER*RITA****XX*3333333336',
      'NM1*82*1*RENDER*RON****XX*4444444448',
      'NM1*77*2*FACILITY*****XX*5555555553',
      'LX*1',
      'SV1*HC:99213*100.00*UN*1***1',
      'DTP*472*D8*20240105',
      'LX*2',
      'SV1*HC:36415*50.00*UN*1***1',
      'DTP*472*D8*20240105',
      'NM1*82*1*LINE*LUCY****XX*6666666661',
      'NM1*77*2*LINE FACILITY*****XX*7777777779',
      ...PROFESSIONAL_CLAIM('A-2'),
    ]);
    const [first, second] = await claimsOfText(text, professional);
    expect(first?.renderingProvider).toEqual({ npi: '4444444448', firstName: 'RON', lastName: 'RENDER' });
    expect(first?.facilityNpi).toBe('5555555553');
    expect(first?.lines.map((line) => line.renderingNpi)).toEqual(['4444444448', '6666666661']);
    // Nothing of the first claim's 2310/2420 loops reaches the next claim.
    expect(second).toMatchObject({ renderingProvider: null, facilityNpi: null, attendingNpi: null });
    expect(second?.lines.map((line) => line.renderingNpi)).toEqual([null]);
  });

  it('reads 837I 2310A attending, 2310B operating, 2310D rendering and 2310E facility, and not 2330 other-payer parties', async () => {
    const text = edit(
      sample('837_005010X223A3', 'two-claims-single-provider.837i'),
      'REF*1G*U12345',
      'REF*1G*U12345',
      'NM1*72*1*CUTTER*CARL****XX*1212121212',
      'NM1*82*1*RENDER*RUTH****XX*1313131313',
      'NM1*77*2*CAMPUS*****XX*1414141414',
      'SBR*S*01*******CI',
      'OI***Y***Y',
      'NM1*IL*1*DOE*JANE****MI*OTHER1',
      'NM1*PR*2*OTHER PAYER*****PI*OP1',
      'NM1*71*1*OTHER*ATTENDING',
      'NM1*82*1*OTHER*RENDERING',
    );
    const [first, second] = await claimsOfText(text, institutional);
    expect(first).toMatchObject({
      attendingNpi: '1122334455',
      operatingNpi: '1212121212',
      facilityNpi: '1414141414',
      renderingProvider: { npi: '1313131313', firstName: 'RUTH', lastName: 'RENDER' },
      payer: 'TRICARE',
    });
    expect(first?.lines.map((line) => line.renderingNpi)).toEqual(['1313131313', '1313131313']);
    expect(second).toMatchObject({
      attendingNpi: '9999999999',
      operatingNpi: null,
      facilityNpi: null,
      renderingProvider: null,
    });
  });

  it('names the payer by 2010BB NM103, else its id NM109', async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      ...SUBSCRIBER(2, 1, 'SUB-A', 0).map((segment) =>
        segment.startsWith('NM1*PR') ? 'NM1*PR*2******PI*PAYER01' : segment,
      ),
      ...PROFESSIONAL_CLAIM('A-1'),
    ]);
    const [claim] = await claimsOfText(text, professional);
    expect(claim?.payer).toBe('PAYER01');
  });
});

describe('837 CLM, HI, SV1/SV2 and DTP', () => {
  it('finds a CLM02 that is not the sum of its SV102 line charges, and keeps the claim as sent', async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      ...SUBSCRIBER(2, 1, 'SUB-A', 0),
      ...PROFESSIONAL_CLAIM('BAL', '150.00', ['100.00', '50.00']),
      ...PROFESSIONAL_CLAIM('UNBAL', '150.00', ['100.00', '40.00']),
    ]);
    const [balanced, unbalanced] = await claimsOfText(text, professional);
    expect(balanced?.dataQuality).toEqual([]);
    expect(unbalanced?.billedAmountCents).toBe(15000);
    expect(unbalanced?.lines.map((line) => line.chargeAmountCents)).toEqual([10000, 4000]);
    expect(unbalanced?.dataQuality).toEqual([
      expect.objectContaining({ code: 'CLAIM_UNBALANCED', field: 'CLM02', message: expect.stringContaining('140.00') }),
    ]);
  });

  it("finds an 837I CLM02 that is not the sum of its SV203 charges; every sample's claims balance", async () => {
    const text = edit(
      sample('837_005010X223A3', 'two-claims-single-provider.837i'),
      'SV2*0730*HC:93005*76.56*UN*3.00',
      'SV2*0730*HC:93005*76.00*UN*3.00',
    );
    const [first, second] = await claimsOfText(text, institutional);
    expect(first?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([['CLAIM_UNBALANCED', 'CLM02']]);
    expect(second?.dataQuality).toEqual([]);
    // A UB-04 total charges line (revenue code 0001) is the total, not one more charge.
    const withTotal = edit(
      sample('837_005010X223A3', 'two-claims-single-provider.837i'),
      'SV2*0300*HC:85087*50.00*UN*1.00',
      'SV2*0300*HC:85087*50.00*UN*1.00',
      'DTP*472*D8*20050401',
      'LX*2',
      'SV2*0001**50.00*UN*1.00',
    );
    expect((await claimsOfText(withTotal, institutional))[1]?.dataQuality).toEqual([]);
    for (const [folder, options] of [
      ['837_005010X222A2', professional],
      ['837_005010X223A3', institutional],
    ] as const) {
      for (const name of [
        ...(folder === '837_005010X222A2'
          ? ['demo.ambulance.example5.837', 'demo.drug.example10.2.837', 'demo.example7.837', 'demo.cob.example3.C.837']
          : ['institutional-claim.837i', 'ppo-repriced-claim.837i', 'two-claims-single-provider.837i']),
      ]) {
        const claims = await claimsOfText(sample(folder, name), options);
        const unbalanced = claims.flatMap((claim) => claim.dataQuality).filter((f) => f.code === 'CLAIM_UNBALANCED');
        expect(unbalanced).toEqual([]);
      }
    }
  });

  it('reads amounts with decimals, zero and negative charges to the cent, and never rounds a third decimal', async () => {
    const body = [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      ...SUBSCRIBER(2, 1, 'SUB-A', 0),
      ...PROFESSIONAL_CLAIM('AMOUNTS', '17.99', ['12.3400', '0', '-1.85', '.5', '7']),
    ];
    const [claim] = await claimsOfText(interchange('005010X222A1', body), professional);
    expect(claim?.billedAmountCents).toBe(1799);
    expect(claim?.lines.map((line) => line.chargeAmountCents)).toEqual([1234, 0, -185, 50, 700]);
    expect(claim?.dataQuality).toEqual([]);
    const rounded = body.map((segment) => segment.replace('SV1*HC:99213*12.3400*', 'SV1*HC:99213*12.345*'));
    await expect(claimsOfText(interchange('005010X222A1', rounded), professional)).rejects.toMatchObject({
      code: 'X12_AMOUNT_INVALID',
    });
  });

  it('keeps CLM05: place of service (837P), type of bill with its frequency code (837I), claim type from the bill', async () => {
    const professionalText = edit(
      sample('837_005010X222A2', 'demo.example1.837'),
      'CLM*26463774*100.00***11:B:1*Y*A*Y*I',
      'CLM*26463774*100.00***22:B:7*Y*A*Y*I',
    );
    const [replacement] = await claimsOfText(professionalText, professional);
    expect(replacement).toMatchObject({ placeOfServiceCode: '22', billType: null, claimType: 'professional' });
    expect(replacement?.lines.map((line) => line.placeOfServiceCode)).toEqual(['22', '22', '22', '22']);

    const typeOf = async (clm05: string) => {
      const text = edit(
        sample('837_005010X223A3', 'institutional-claim.837i'),
        'CLM*756048Q*89.93***14:A:1*Y*A*Y*Y',
        `CLM*756048Q*89.93***${clm05}*Y*A*Y*Y`,
      );
      const [claim] = await claimsOfText(text, institutional);
      return [claim?.billType, claim?.claimType];
    };
    expect(await typeOf('11:A:1')).toEqual(['111', 'institutional_inpatient']);
    expect(await typeOf('12:A:8')).toEqual(['128', 'institutional_inpatient']);
    expect(await typeOf('13:A:7')).toEqual(['137', 'institutional_outpatient']);
    expect(await typeOf('21:A:1')).toEqual(['211', 'institutional_inpatient']);
  });

  it.each([
    ['71:A:1', 'rural health clinic'],
    ['72:A:1', 'ESRD facility'],
    ['81:A:1', 'hospice (non-hospital based)'],
    ['82:A:1', 'hospice (hospital based)'],
    ['85:A:1', 'critical access hospital'],
    ['32:A:9', 'home health under a plan of treatment'],
  ])(
    'does not take a %s bill (%s) for an inpatient stay: its second digit is no bill classification',
    async (clm05) => {
      const text = edit(
        sample('837_005010X223A3', 'institutional-claim.837i'),
        'CLM*756048Q*89.93***14:A:1*Y*A*Y*Y',
        `CLM*756048Q*89.93***${clm05}*Y*A*Y*Y`,
      );
      const [claim] = await claimsOfText(text, institutional);
      expect(claim?.claimType).toBe('institutional_outpatient');
    },
  );

  it('lists the principal diagnosis and procedure first, whatever order the 837I HI segments come in', async () => {
    const text = edit(
      sample('837_005010X223A3', 'two-claims-single-provider.837i'),
      'HI*BK:3669',
      'HI*BJ:7802',
      'HI*BK:3669',
      'HI*BQ:8872',
      'HI*BR:8154',
    );
    const [first] = await claimsOfText(text, institutional);
    expect(first?.diagnoses).toEqual([
      { code: '3669', system: 'ICD-9-CM' },
      { code: '7802', system: 'ICD-9-CM' },
      { code: '4019', system: 'ICD-9-CM' },
      { code: '79431', system: 'ICD-9-CM' },
    ]);
    expect(first?.procedures).toEqual([
      { code: '8154', system: 'ICD-9-CM' },
      { code: '8872', system: 'ICD-9-CM' },
    ]);
  });

  it('reads ICD-10 HI qualifiers: ABK/ABF/ABJ diagnoses, BBR/BBQ ICD-10-PCS procedures, DR the DRG', async () => {
    const text = edit(
      edit(
        sample('837_005010X223A3', 'two-claims-single-provider.837i'),
        'HI*BK:3669',
        'HI*ABK:I2510',
        'HI*ABJ:R079',
        'HI*DR:247',
        'HI*ABF:I10*ABF:E119',
        'HI*BBR:02703ZZ:D8:20050315',
        'HI*BBQ:B2111ZZ:D8:20050315',
        'HI*BH:A1:D8:19261111',
        'HI*BE:A2:::15.31',
        'HI*BG:09',
      ),
      'HI*BF:4019*BF:79431',
    );
    const [first] = await claimsOfText(text, institutional);
    expect(first?.diagnoses).toEqual([
      { code: 'I2510', system: 'ICD-10-CM' },
      { code: 'R079', system: 'ICD-10-CM' },
      { code: 'I10', system: 'ICD-10-CM' },
      { code: 'E119', system: 'ICD-10-CM' },
    ]);
    expect(first?.procedures).toEqual([
      { code: '02703ZZ', system: 'ICD-10-PCS' },
      { code: 'B2111ZZ', system: 'ICD-10-PCS' },
    ]);
    expect(first?.drgCode).toBe('247');
  });

  it('reads SV1: code and modifiers, charge, units (minutes when MJ), line place of service and the first pointer', async () => {
    const text = interchange('005010X222A1', [
      ...BILLING,
      ...PROVIDER('1111111112', '111111111'),
      ...SUBSCRIBER(2, 1, 'SUB-A', 0),
      'CLM*SV1*225.00***11:B:1*Y*A*Y*Y',
      'HI*ABK:J069*ABF:R05*ABF:R509',
      'LX*1',
      'SV1*HC:99213:25:59*100.00*UN*2.5*22**3:1',
      'DTP*472*D8*20240105',
      'LX*2',
      'SV1*HC:00142:QK*125.00*MJ*61***2',
      'DTP*472*RD8*20240106-20240108',
    ]);
    const [claim] = await claimsOfText(text, professional);
    expect(
      claim?.lines.map((line) => [
        line.hcpcsCode,
        line.procedureModifiers,
        line.chargeAmountCents,
        line.serviceUnitCount,
        line.placeOfServiceCode,
        line.diagnosisCode,
        line.serviceDate,
      ]),
    ).toEqual([
      ['99213', ['25', '59'], 10000, 2.5, '22', 'R509', '2024-01-05'],
      ['00142', ['QK'], 12500, 61, '11', 'R05', '2024-01-06'],
    ]);
    expect([claim?.serviceFromDate, claim?.serviceThroughDate]).toEqual(['2024-01-05', '2024-01-08']);
  });

  it('reads 837I dates: DTP*434 statement period (RD8), DTP*435 admission (D8 or DT), lines by DTP*472', async () => {
    const text = edit(
      sample('837_005010X223A3', 'two-claims-single-provider.837i'),
      'DTP*434*RD8*20050315-20050315',
      'DTP*434*RD8*20050313-20050316',
      'DTP*435*DT*200503131415',
    );
    const [first, second] = await claimsOfText(text, institutional);
    expect(first).toMatchObject({
      serviceFromDate: '2005-03-13',
      serviceThroughDate: '2005-03-16',
      admissionDate: '2005-03-13',
    });
    expect(first?.lines.map((line) => line.serviceDate)).toEqual(['2005-03-15', '2005-03-15']);
    expect(second?.admissionDate).toBeNull();
  });
});
