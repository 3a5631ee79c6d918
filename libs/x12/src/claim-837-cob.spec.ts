import { join } from 'node:path';
import {
  X12_SAMPLES,
  claims837OfText as claimsOfText,
  interchangeOfOneSet,
  transactionSetsOfFile,
} from './__tests__/x12-samples';
import { claimsOf837, type Claims837Options } from './claim-837';

/**
 * Coordination of benefits (005010X222A1 and 005010X223A2): a claim sent to
 * a later payer names each earlier payer in a 2320 loop (SBR01 its
 * responsibility: P primary, S secondary, ...) with its 2330B NM1*PR (NM109
 * the payer's id), and says per line what each paid in a 2430 SVD (SVD01 that
 * id, SVD02 the line's paid amount).
 */
const patientTokenKey = 'unit-test-key-0123456789';
const professional = { kind: 'professional', patientTokenKey } as const;
const institutional = { kind: 'institutional', patientTokenKey } as const;

async function claimsOfSample(name: string, options: Claims837Options) {
  const sets = await transactionSetsOfFile(join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', name));
  return sets.flatMap((set) => claimsOf837(set.segments, options));
}

const PROVIDER = ['HL*1**20*1', 'NM1*85*2*CLINIC*****XX*1111111112', 'REF*EI*111111111'];
/** The 2320/2330A/2330B loops of one earlier payer. */
const otherPayer = (responsibility: string, payerId: string, paidDollars: string) => [
  `SBR*${responsibility}*18*******CI`,
  `AMT*D*${paidDollars}`,
  'OI***Y*P**Y',
  `NM1*IL*1*DOE*JOHN****MI*OTHER-${payerId}`,
  `NM1*PR*2*PAYER ${payerId}*****PI*${payerId}`,
];

describe('837 primary payer paid (2320 SBR, 2330B NM1*PR, 2430 SVD)', () => {
  it('gives each line of a COB sample sent to the secondary what the primary paid for it (SVD02)', async () => {
    const [claim] = await claimsOfSample('demo.cob.example3.B.837', professional);
    expect(claim?.lines.map((line) => [line.hcpcsCode, line.primaryPayerPaidAmountCents])).toEqual([
      ['99213', 4000],
      ['90782', 1500],
      ['J3301', 2104],
    ]);
    expect(claim?.dataQuality).toEqual([]);
  });

  it('reads the primary payment of a single-line COB sample whose 2330B payer id is its SVD01', async () => {
    const [claim] = await claimsOfSample('demo.cob.example4.837', professional);
    expect(claim?.lines.map((line) => line.primaryPayerPaidAmountCents)).toEqual([8000]);
  });

  it('reads the primary payment when the other payer names its own rendering provider (2330D)', async () => {
    const [claim] = await claimsOfSample('demo.cob.example3.C.837', professional);
    expect(claim?.lines.map((line) => line.primaryPayerPaidAmountCents)).toEqual([4000, 1500, 2104]);
  });

  it('leaves a claim sent to the primary, whose 2320 names the secondary and no SVD, with nothing paid by a primary', async () => {
    const [claim] = await claimsOfSample('demo.cob.example3.A.837', professional);
    expect(claim?.lines.map((line) => line.primaryPayerPaidAmountCents)).toEqual([0, 0, 0]);
  });

  it("counts only the primary's SVD on a tertiary claim, sums a primary's unbundled SVDs, and says which SVD names no 2330B payer", async () => {
    const text = interchangeOfOneSet('005010X222A1', [
      'BHT*0019*00*1*20240110*1200*CH',
      ...PROVIDER,
      'HL*2*1*22*0',
      'SBR*T*18*******CI',
      'NM1*IL*1*DOE*JOHN****MI*SUB-A',
      'NM1*PR*2*THIRD PAYER*****PI*PAYERC',
      'CLM*TERTIARY*150.00***11:B:1*Y*A*Y*Y',
      'HI*ABK:J069',
      ...otherPayer('P', 'PAYERA', '72.50'),
      ...otherPayer('S', 'PAYERB', '10.00'),
      'LX*1',
      'SV1*HC:99213*100.00*UN*1***1',
      'DTP*472*D8*20240105',
      'SVD*PAYERA*30.00*HC:99213**1',
      'DTP*573*D8*20240120',
      'SVD*PAYERB*10.00*HC:99213**1',
      'DTP*573*D8*20240201',
      'SVD*PAYERA*30.00*HC:99212**1*1',
      'DTP*573*D8*20240120',
      'LX*2',
      'SV1*HC:36415*50.00*UN*1***1',
      'DTP*472*D8*20240105',
      'SVD*PAYERX*5.00*HC:36415**1',
      'DTP*573*D8*20240120',
      'SVD*PAYERA*12.50*HC:36415**1',
      'DTP*573*D8*20240120',
    ]);
    const [claim] = await claimsOfText(text, professional);
    expect(claim?.lines.map((line) => line.primaryPayerPaidAmountCents)).toEqual([6000, 1250]);
    expect(claim?.dataQuality.map((finding) => [finding.code, finding.field])).toEqual([
      ['OTHER_PAYER_UNKNOWN', 'SVD01'],
    ]);
    expect(claim?.dataQuality[0]?.message).toContain('line 2');
  });

  it('reads what the primary paid for an 837I line (SV2) as for an 837P one', async () => {
    const text = interchangeOfOneSet('005010X223A2', [
      'BHT*0019*00*1*20240110*1200*CH',
      ...PROVIDER,
      'HL*2*1*22*0',
      'SBR*S*18*******MB',
      'NM1*IL*1*DOE*JOHN****MI*SUB-A',
      'NM1*PR*2*MEDICARE*****PI*MEDICARE1',
      'CLM*INST-COB*80.00***13:A:1**A*Y*Y',
      'DTP*434*RD8*20240105-20240105',
      'HI*ABK:J069',
      ...otherPayer('P', 'EMPLOYER1', '64.00'),
      'LX*1',
      'SV2*0300*HC:85025*80.00*UN*1',
      'DTP*472*D8*20240105',
      'SVD*EMPLOYER1*64.00*HC:85025*0300*1',
      'DTP*573*D8*20240120',
    ]);
    const [claim] = await claimsOfText(text, institutional);
    expect(claim?.lines.map((line) => [line.revenueCode, line.primaryPayerPaidAmountCents])).toEqual([['0300', 6400]]);
    expect(claim?.dataQuality).toEqual([]);
  });
});
