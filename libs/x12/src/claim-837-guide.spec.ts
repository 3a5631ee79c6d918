import { claims837OfText as claimsOfText, interchangeOfOneSet } from './__tests__/x12-samples';

/**
 * What the 005010 837 guides (837P 005010X222A1, 837I 005010X223A2) say of
 * what a provider's file can get wrong and the reader must still make sense
 * of: 2000C patients, SV107 pointers and the 2400 line each LX opens.
 */
const patientTokenKey = 'unit-test-key-0123456789';
const professional = { kind: 'professional', patientTokenKey } as const;
const interchange = (version: '005010X222A1', body: readonly string[]): string =>
  interchangeOfOneSet(version, ['BHT*0019*00*1*20240110*1200*CH', ...body]);

const PROVIDER = ['HL*1**20*1', 'NM1*85*2*CLINIC*****XX*1111111112', 'REF*EI*111111111'];
const SUBSCRIBER = (children: 0 | 1 = 0) => [
  `HL*2*1*22*${children}`,
  `SBR*P*${children ? '' : '18'}*******CI`,
  'NM1*IL*1*DOE*JOHN****MI*SUB-A',
  'NM1*PR*2*THIS PAYER*****PI*PAYER03',
];
describe('837 claims that break the guide, kept with a finding', () => {
  const professionalClaim = (id: string, lines: readonly string[]) => [
    `CLM*${id}*100.00***11:B:1*Y*A*Y*Y`,
    'HI*ABK:J069*ABF:R05',
    ...lines,
  ];

  it('says when an SV107 pointer names no diagnosis of the claim, and keeps the line without one', async () => {
    const text = interchange('005010X222A1', [
      ...PROVIDER,
      ...SUBSCRIBER(),
      ...professionalClaim('POINTERS', [
        'LX*1',
        'SV1*HC:99213*60.00*UN*1***2:1',
        'DTP*472*D8*20240105',
        'LX*2',
        'SV1*HC:36415*40.00*UN*1***3',
        'DTP*472*D8*20240105',
      ]),
    ]);
    const [claim] = await claimsOfText(text, professional);
    expect(claim?.lines.map((line) => line.diagnosisCode)).toEqual(['R05', null]);
    expect(claim?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['DIAGNOSIS_POINTER_INVALID', 'SV107'],
    ]);
    expect(claim?.dataQuality[0]?.message).toContain('line 2');
  });
});

describe('837 service lines (2400) and patients (2000C)', () => {
  const claim = (id: string) => [
    `CLM*${id}*100.00***11:B:1*Y*A*Y*Y`,
    'HI*ABK:J069',
    'LX*1',
    'SV1*HC:99213*100.00*UN*1***1',
    'DTP*472*D8*20240105',
  ];
  const dependent = (name: string) =>
    interchange('005010X222A1', [
      ...PROVIDER,
      ...SUBSCRIBER(1),
      'HL*3*2*23*0',
      'PAT*19',
      `NM1*QC*1*${name}`,
      'DMG*D8*20100101*M',
      ...claim('DEPENDENT'),
    ]);

  it('knows a dependent by name however a provider cases and spaces it', async () => {
    const [upper] = await claimsOfText(dependent('SMITH*TED'), professional);
    const [mixed] = await claimsOfText(dependent('Smith*Ted '), professional);
    const [other] = await claimsOfText(dependent('SMITH*TESS'), professional);
    expect(mixed?.patientToken).toBe(upper?.patientToken);
    expect(other?.patientToken).not.toBe(upper?.patientToken);
  });

  it("says when a 2000C patient loop names no patient, and does not take the subscriber's token for theirs", async () => {
    const text = interchange('005010X222A1', [
      ...PROVIDER,
      ...SUBSCRIBER(1),
      'HL*3*2*23*0',
      'PAT*19',
      ...claim('NAMELESS'),
    ]);
    const [nameless] = await claimsOfText(text, professional);
    const [subscriber] = await claimsOfText(
      interchange('005010X222A1', [...PROVIDER, ...SUBSCRIBER(), ...claim('SUBSCRIBER')]),
      professional,
    );
    expect(nameless?.patientToken).not.toBe(subscriber?.patientToken);
    expect(nameless?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['PATIENT_NAME_MISSING', 'NM1*QC'],
    ]);
  });

  it('says when an LX opens no SV1, and gives none of its dates or providers to the line before it', async () => {
    const text = interchange('005010X222A1', [
      ...PROVIDER,
      ...SUBSCRIBER(),
      'CLM*EMPTY-LX*150.00***11:B:1*Y*A*Y*Y',
      'HI*ABK:J069',
      'LX*1',
      'SV1*HC:99213*100.00*UN*1***1',
      'DTP*472*D8*20240105',
      'LX*2',
      'DTP*472*D8*20240301',
      'NM1*82*1*LINE*LUCY****XX*6666666661',
      'LX*3',
      'SV1*HC:36415*50.00*UN*1***1',
      'DTP*472*D8*20240106',
    ]);
    const [claim] = await claimsOfText(text, professional);
    expect(claim?.lines.map((line) => [line.hcpcsCode, line.serviceDate, line.renderingNpi])).toEqual([
      ['99213', '2024-01-05', null],
      ['36415', '2024-01-06', null],
    ]);
    expect([claim?.serviceFromDate, claim?.serviceThroughDate]).toEqual(['2024-01-05', '2024-01-06']);
    expect(claim?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['LINE_SERVICE_MISSING', 'LX'],
    ]);
  });
});
