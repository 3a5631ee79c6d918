import { ClaimEventSchema } from '@claims/contracts';
import { SourceRecordError } from '@claims/source-layouts';
import { normalizeX12RecordEvents } from './normalize-x12-record';
import { rawEventOf, transactionSetsOfText } from './__tests__/x12-samples';
import { X12Error } from './x12.errors';

const options = { patientTokenKey: 'unit-test-key-0123456789' };

/** An 835 interchange of one transaction set holding the given CLP loops (empty: no claim at all). */
function remittance835(claims: string): string {
  const segments = [
    'ST*835*0001',
    'BPR*I*20*C*NON************20240105',
    'TRN*1*R1*1999999999',
    'DTM*405*20240105',
    'N1*PR*ACME HEALTH',
    ...(claims === '' ? [] : ['LX*1', ...claims.split('~').filter(Boolean)]),
  ];
  return (
    'ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       *240110*0800*^*00501*000000042*0*P*:~' +
    'GS*HP*PAYER*PROVIDER*20240110*0800*42*X*005010X221A1~' +
    `${[...segments, `SE*${segments.length + 1}*0001`].join('~')}~` +
    'GE*1*42~IEA*1*000000042~'
  );
}

async function rawEventOfText(text: string) {
  const [transaction] = await transactionSetsOfText(text);
  if (transaction === undefined) throw new Error('expected one transaction set');
  return rawEventOf(transaction);
}

describe('normalizeX12RecordEvents (what the normalizer publishes for a transaction set)', () => {
  it('returns claim events that each pass ClaimEventSchema', async () => {
    const raw = await rawEventOfText(remittance835('CLP*C-2*1*50*50*0*12*PCN2~SVC*HC:99213*50*50**1~'));
    const { claims } = normalizeX12RecordEvents(raw, options);
    expect(claims.map((event) => event.claimId)).toEqual(['C-2']);
    for (const event of claims) expect(ClaimEventSchema.safeParse(event).success).toBe(true);
  });

  it('refuses a set whose claim fails ClaimEventSchema with NORMALIZED_EVENT_INVALID, the code every source uses', async () => {
    // Negative units on a claim that is not a reversal: the 835 reads, the canonical claim is not valid.
    const raw = await rawEventOfText(remittance835('CLP*C-2*1*50*50*0*12*PCN2~SVC*HC:99213*50*50**-1~'));
    const refusal = (() => {
      try {
        normalizeX12RecordEvents(raw, options);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(SourceRecordError);
    expect(refusal).toMatchObject({ code: 'NORMALIZED_EVENT_INVALID' });
    expect((refusal as Error).message).toMatch(/^the normalized claim event has invalid fields: /);
  });

  it('refuses a set with neither a claim nor a provider adjustment with X12_NO_CLAIMS', async () => {
    const raw = await rawEventOfText(remittance835(''));
    expect(() => normalizeX12RecordEvents(raw, options)).toThrow(
      new X12Error('X12_NO_CLAIMS', 'the x12.835 transaction set holds no claim'),
    );
  });
});
