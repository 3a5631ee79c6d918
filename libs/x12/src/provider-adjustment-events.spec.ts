import { ProviderAdjustmentEventSchema, providerAdjustmentEventId } from '@claims/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeX12Record, normalizeX12RecordEvents } from './normalize-x12-record';
import { X12_SAMPLES, rawEventOf, samplePaths, transactionSetsOfText } from './__tests__/x12-samples';

const options = { patientTokenKey: 'unit-test-key-0123456789' };
const REMITTANCES = ['linuxforhealth', '835_005010X221A1'];

/** What a PLB says, read straight from the file's text: (PLB01, PLB02, reason, reference, amount in cents) per pair. */
function plbPairsOfText(text: string): Array<[string, string, string, string | null, number]> {
  return text
    .split(/~\s*/)
    .filter((segment) => segment.startsWith('PLB*'))
    .flatMap((segment) => {
      const [, providerId = '', period = '', ...pairs] = segment.split('*');
      const found: Array<[string, string, string, string | null, number]> = [];
      for (let index = 0; index + 1 < pairs.length; index += 2) {
        const [reason = '', reference = ''] = (pairs[index] ?? '').split(':');
        if (reason === '') continue;
        const date = `${period.slice(0, 4)}-${period.slice(4, 6)}-${period.slice(6, 8)}`;
        found.push([providerId, date, reason, reference || null, Math.round(Number(pairs[index + 1]) * 100)]);
      }
      return found;
    });
}

async function eventsOfText(text: string) {
  const sets = await transactionSetsOfText(text);
  return sets.map((set) => normalizeX12RecordEvents(rawEventOf(set), options));
}

/**
 * A recoupment: an 835 of provider-level adjustments and no claim, in the
 * envelope of the medicare-part-a sample: 100.00 recovered (WO) and carried
 * forward (FB), 12.50 interest added (L6). BPR02 is Σ CLP04 (none) less Σ PLB.
 */
const PLB_ONLY_835 = `${[
  'ISA*03*9876543210*01*9876543210*30*000000005      *30*12345          *131031*1147*^*00501*000000908*1*T*:',
  'GS*HP*000000005*54321*20131031*1147*2*X*005010X221A1',
  'ST*835*2001',
  'BPR*I*12.50*C*ACH*CTX*01*99999992*DA*123456*1512345678**01*999988880*DA*98765*20240315',
  'TRN*1*RECOUP-77*1512345678',
  'DTM*405*20240314',
  'N1*PR*INSURANCE COMPANY OF TIMBUCKTU',
  'REF*2U*999',
  'N1*PE*REGIONAL HOPE HOSPITAL*XX*6543210903',
  'PLB*6543210903*20241231*WO:666123*100*FB:ACCT-9*-100',
  'PLB*6543210903*20241231*L6*-12.50',
  'SE*10*2001',
  'GE*1*2',
  'IEA*1*000000908',
].join('~\n')}~\n`;

describe('normalizeX12RecordEvents for 835 provider-level adjustments (PLB)', () => {
  it('emits one provider-adjustment event per PLB pair of every linuxforhealth 835, with the figures the PLB states', async () => {
    let pairs = 0;
    for (const path of samplePaths(...REMITTANCES)) {
      const text = readFileSync(path, 'utf8');
      const events = (await eventsOfText(text)).flatMap((set) => set.providerAdjustments);
      pairs += events.length;
      expect(
        events.map(({ adjustment }) => [
          adjustment.providerId,
          adjustment.fiscalPeriodDate,
          adjustment.reasonCode,
          adjustment.reference,
          adjustment.amountCents,
        ]),
      ).toEqual(plbPairsOfText(text));
      for (const event of events) expect(ProviderAdjustmentEventSchema.parse(event)).toEqual(event);
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('names the payment the adjustment belongs to (payer, payee, TRN02, BPR16) and keeps the claims beside it', async () => {
    const text = readFileSync(join(X12_SAMPLES, ...REMITTANCES, 'medicare-part-a.835'), 'utf8');
    const [set] = await eventsOfText(text);
    expect(set?.claims.map((event) => event.claimId)).toEqual(['666123', '777777']);
    const [event] = set?.providerAdjustments ?? [];
    // The sample's own header: TRN*1*12345, BPR16 20020913, N1*PR, REF*2U*999, N1*PE*..*XX*6543210903.
    expect(event).toMatchObject({
      layout: 'x12.835',
      occurredAt: '2002-09-13',
      accountsForRecord: false,
      payment: {
        payerId: '999',
        payerName: 'INSURANCE COMPANY OF TIMBUCKTU',
        payeeNpi: '6543210903',
        traceNumber: '12345',
        paymentDate: '2002-09-13',
        productionDate: '2002-09-16',
      },
      adjustment: { elementPosition: 3 },
    });
    expect(event?.lineage).toEqual(set?.claims[0]?.lineage);
  });

  it('derives each event id from the raw event id and the pair’s place, the same on every read', async () => {
    const [first] = await eventsOfText(PLB_ONLY_835);
    const [again] = await eventsOfText(PLB_ONLY_835);
    const events = first?.providerAdjustments ?? [];
    expect(again?.providerAdjustments.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    for (const event of events) {
      expect(event.eventId).toBe(
        providerAdjustmentEventId(event.rawEventId, event.adjustment.segmentNumber, event.adjustment.elementPosition),
      );
    }
  });

  it('reads an 835 of PLBs and no CLP as provider adjustments that account for their record, with no claim', async () => {
    const [set] = await eventsOfText(PLB_ONLY_835);
    expect(set?.claims).toEqual([]);
    expect(
      set?.providerAdjustments.map((event) => [
        event.adjustment.reasonCode,
        event.adjustment.reference,
        event.adjustment.amountCents,
        event.accountsForRecord,
        event.occurredAt,
      ]),
    ).toEqual(
      plbPairsOfText(PLB_ONLY_835).map(([, , reason, reference, cents]) => [
        reason,
        reference,
        cents,
        true,
        '2024-03-15',
      ]),
    );
    // BPR02 balances (0 paid by claims less the PLBs' net −12.50): no finding rides on the events.
    expect(set?.providerAdjustments.every((event) => event.dataQuality.length === 0)).toBe(true);
    const [raw] = (await transactionSetsOfText(PLB_ONLY_835)).map((transaction) => rawEventOf(transaction));
    expect(raw && normalizeX12Record(raw, options)).toEqual([]);
  });
});
