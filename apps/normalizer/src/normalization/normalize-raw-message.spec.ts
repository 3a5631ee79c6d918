import {
  ClaimEventSchema,
  ProviderAdjustmentEventSchema,
  RawClaimRecordSchema,
  invalidClaimEventFailure,
  sha256Hex,
} from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import { lineageFromHeaders, type ConsumedMessage } from '@claims/kafka';
import { CodeLists, loadSourceLayouts, rawRecordEvent } from '@claims/source-layouts';
import { transactionSetText, x12LayoutOf, x12RecordContextOf, x12TokensOf, x12TransactionSetsOf } from '@claims/x12';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRawMessage } from './normalize-raw-message';

const SAMPLE = join(REPO_ROOT, 'data', 'desynpuf', 'sample2', 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const firstRecord = readFileSync(SAMPLE, 'utf8').split(/\r?\n/)[1] ?? '';
const options = { patientTokenKey: 'unit-test-key-0123456789' };

function consumed(value: string | null, headers: Record<string, string> = {}): ConsumedMessage {
  return {
    topic: 'claims.raw.v1',
    partition: 0,
    message: {
      key: Buffer.from('k'),
      value: value === null ? null : Buffer.from(value),
      timestamp: '0',
      attributes: 0,
      offset: '7',
      headers,
    },
  };
}

function rawMessage(record: string): string {
  return JSON.stringify(
    rawRecordEvent({
      layout: 'desynpuf.carrier',
      record,
      recordNumber: 1,
      source: 'sample.csv',
      fileId: sha256Hex('file'),
      publishedAt: '2026-01-01T00:00:00.000Z',
    }),
  );
}

describe('normalizeRawMessage', () => {
  it('emits the canonical event keyed by claim id with lineage headers and the trace carried over', () => {
    const traceParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const outcome = normalizeRawMessage(consumed(rawMessage(firstRecord), { traceparent: traceParent }), options);
    if (!('emit' in outcome)) throw new Error('expected an emitted event');
    expect(outcome.emit.key).toBe('737473360654133');
    expect(outcome.emit.headers['traceparent']).toBe(traceParent);
    expect(lineageFromHeaders(outcome.emit.headers)?.recordNumber).toBe(1);
    expect(JSON.parse(outcome.emit.value.toString()).claim.lines).toHaveLength(6);
  });

  it('holds the canonical event as its JSON in bytes until the batch is produced', () => {
    const outcome = normalizeRawMessage(consumed(rawMessage(firstRecord)), options);
    if (!('emit' in outcome)) throw new Error('expected an emitted event');
    expect(Buffer.isBuffer(outcome.emit.value)).toBe(true);
    expect(ClaimEventSchema.parse(JSON.parse(outcome.emit.value.toString('utf8'))).claimId).toBe('737473360654133');
  });

  it('dead-letters a raw event holding a NUL character with RECORD_ENCODING_INVALID, as the ingestor would', () => {
    const withNul = firstRecord.replace(',', ',\u0000');
    expect(normalizeRawMessage(consumed(rawMessage(withNul)), options)).toMatchObject({
      deadLetter: {
        code: 'RECORD_ENCODING_INVALID',
        reason: 'the raw event holds a NUL character (U+0000), which is not text',
      },
    });
  });

  it('dead-letters a message that is not JSON with JSON_INVALID', () => {
    expect(normalizeRawMessage(consumed('{not json'), options)).toEqual({
      deadLetter: { code: 'JSON_INVALID', reason: 'message value is not JSON' },
    });
  });

  it('dead-letters a tombstone (no value) with JSON_INVALID', () => {
    expect(normalizeRawMessage(consumed(null), options)).toMatchObject({ deadLetter: { code: 'JSON_INVALID' } });
  });

  it('dead-letters a raw event missing its lineage with SCHEMA_INVALID naming the field', () => {
    const event = RawClaimRecordSchema.parse(JSON.parse(rawMessage(firstRecord)));
    const { lineage, ...withoutLineage } = event;
    expect(lineage.recordNumber).toBe(1);
    const outcome = normalizeRawMessage(consumed(JSON.stringify(withoutLineage)), options);
    expect(outcome).toEqual({ deadLetter: { code: 'SCHEMA_INVALID', reason: 'invalid fields: lineage' } });
  });

  it('dead-letters a record with an unparseable amount with AMOUNT_INVALID', () => {
    const columns = firstRecord.split(',');
    columns[51] = 'ninety';
    const outcome = normalizeRawMessage(consumed(rawMessage(columns.join(','))), options);
    expect(outcome).toMatchObject({
      deadLetter: { code: 'AMOUNT_INVALID', reason: 'LINE_NCH_PMT_AMT_1 is not a dollar amount' },
    });
  });

  it('never puts record values into a dead-letter reason', () => {
    const columns = firstRecord.split(',');
    columns[2] = '2008AB03';
    const outcome = normalizeRawMessage(consumed(rawMessage(columns.join(','))), options);
    expect(outcome).toMatchObject({ deadLetter: { code: 'DATE_INVALID' } });
    expect(JSON.stringify(outcome)).not.toContain('2008AB03');
  });
});

describe('normalizeRawMessage with the shipped mapping files', () => {
  const layouts = loadSourceLayouts();
  const mappedOptions = { ...options, layouts, codeLists: CodeLists.none() };
  const rif = readFileSync(join(REPO_ROOT, 'data', 'rif', 'rif-synthea', 'carrier.csv'), 'utf8').split(/\r?\n/);
  const [rifHeader = '', ...rifRows] = rif;
  const claimId = rifRows[0]?.split('|')[2] ?? '';
  const claimRows = rifRows.filter((row) => row.split('|')[2] === claimId);

  function rifRawMessage(rows: string[], recordNumbers?: number[]): string {
    return JSON.stringify(
      rawRecordEvent({
        layout: 'rif.carrier',
        record: rows.join('\n'),
        recordNumber: 1,
        recordCount: rows.length,
        ...(recordNumbers === undefined ? {} : { recordNumbers }),
        source: 'carrier.csv',
        fileId: sha256Hex('rif file'),
        publishedAt: '2026-01-01T00:00:00.000Z',
        claimId,
        header: rifHeader,
      }),
    );
  }

  it('emits one canonical claim for the adjacent rows of a RIF claim, bound for the claims topic', () => {
    const outcome = normalizeRawMessage(consumed(rifRawMessage(claimRows)), mappedOptions);
    if (!('emit' in outcome)) throw new Error('expected an emitted event');
    expect(outcome.kind).toBe('claim');
    expect(outcome.emit.key).toBe(claimId);
    expect(JSON.parse(outcome.emit.value.toString()).claim.lines).toHaveLength(claimRows.length);
  });

  it('dead-letters a bad multi-row claim as one letter whose lineage names every row, so a replay re-sends the whole claim', () => {
    const broken = [...claimRows];
    const columns = (broken[1] ?? '').split('|');
    columns[rifHeader.split('|').indexOf('LINE_NCH_PMT_AMT')] = 'lots';
    broken[1] = columns.join('|');
    const message = rifRawMessage(broken);
    const outcome = normalizeRawMessage(consumed(message), mappedOptions);
    if (!('deadLetter' in outcome)) throw new Error('expected a dead letter');
    expect(outcome.deadLetter).toEqual({
      code: 'AMOUNT_INVALID',
      reason: 'LINE_NCH_PMT_AMT is not a dollar amount in row 2 of the claim',
    });
    expect(outcome.lineage).toEqual(RawClaimRecordSchema.parse(JSON.parse(message)).lineage);
    expect(outcome.lineage?.recordCount).toBe(broken.length);
  });

  it('dead-letters a bad claim whose rows sit apart as one letter listing each row by its number', () => {
    const broken = [...claimRows];
    const columns = (broken[1] ?? '').split('|');
    columns[rifHeader.split('|').indexOf('LINE_NCH_PMT_AMT')] = 'lots';
    broken[1] = columns.join('|');
    const recordNumbers = broken.map((_, index) => 10 + index * 7);
    const outcome = normalizeRawMessage(consumed(rifRawMessage(broken, recordNumbers)), mappedOptions);
    if (!('deadLetter' in outcome)) throw new Error('expected a dead letter');
    expect(outcome.lineage?.recordNumbers).toEqual(recordNumbers);
    expect(outcome.lineage?.recordCount).toBe(broken.length);
  });

  describe('a billing claim whose row holds a quoted line break', () => {
    const billingHeader =
      'Claim_ID,Provider_ID,Procedure_code,Diagnosis_code,service_date,Payer,Claim_amnt,Paid_amnt,claim_status,Location';
    const spanning =
      'BQ-1,1245319599,99213,E11.9,03/04/2024,Aetna,$185.00,$142.50,paid,"Main Street Clinic\nSuite 100"';
    const plain = 'BQ-1,1245319599,36415,E11.9,03/04/2024,Aetna,$12.00,$9.25,paid,"Main Street Clinic\nSuite 100"';
    const billingRaw = (rows: string[]): string =>
      JSON.stringify(
        rawRecordEvent({
          layout: 'billing.claim-export',
          record: rows.join('\n'),
          recordNumber: 1,
          recordCount: rows.length,
          source: 'billing.csv',
          fileId: sha256Hex('billing file'),
          publishedAt: '2026-01-01T00:00:00.000Z',
          claimId: 'BQ-1',
          header: billingHeader,
        }),
      );

    it('emits one claim of its rows, the line break kept in the field', () => {
      const outcome = normalizeRawMessage(consumed(billingRaw([spanning, plain])), mappedOptions);
      if (!('emit' in outcome)) throw new Error('expected an emitted event');
      const event = JSON.parse(outcome.emit.value.toString());
      expect(event.claim.lines).toHaveLength(2);
      expect(event.claim.serviceLocation.name).toBe('Main Street Clinic\nSuite 100');
    });

    it('dead-letters it as one letter of both rows when a row is refused', () => {
      const broken = plain.replace('$12.00', 'twelve');
      const outcome = normalizeRawMessage(consumed(billingRaw([spanning, broken])), mappedOptions);
      if (!('deadLetter' in outcome)) throw new Error('expected a dead letter');
      expect(outcome.deadLetter.code).toBe('AMOUNT_INVALID');
      expect(outcome.lineage).toMatchObject({ recordNumber: 1, recordCount: 2, source: 'billing.csv' });
    });
  });

  it('routes a beneficiary row to the member reference topic, keyed by patient token and year (compaction keeps every year)', () => {
    const [header = '', row = ''] = readFileSync(
      join(REPO_ROOT, 'data', 'desynpuf', 'sample2', 'DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv'),
      'utf8',
    ).split(/\r?\n/);
    const raw = rawRecordEvent({
      layout: 'desynpuf.beneficiary-summary',
      record: row,
      recordNumber: 1,
      source: 'DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv',
      fileId: sha256Hex('beneficiaries'),
      publishedAt: '2026-01-01T00:00:00.000Z',
      claimId: null,
      header,
    });
    const outcome = normalizeRawMessage(consumed(JSON.stringify(raw)), mappedOptions);
    if (!('emit' in outcome)) throw new Error('expected an emitted event');
    expect(outcome.kind).toBe('member_reference');
    const event = JSON.parse(outcome.emit.value.toString());
    expect(outcome.emit.key).toBe(`${event.member.patientToken}:${event.member.referenceYear}`);
    expect(outcome.emit.value.toString()).not.toContain(row.split(',')[0]);
  });

  it('dead-letters a raw record of a layout this process does not know with LAYOUT_UNKNOWN, listing the known ones', () => {
    const raw = { ...JSON.parse(rifRawMessage(claimRows.slice(0, 1))), layout: 'acme.unknown' };
    const outcome = normalizeRawMessage(consumed(JSON.stringify(raw)), mappedOptions);
    expect(outcome).toMatchObject({ deadLetter: { code: 'LAYOUT_UNKNOWN' } });
    if ('deadLetter' in outcome) expect(outcome.deadLetter.reason).toContain('rif.carrier');
  });
});

describe('normalizeRawMessage with X12 transaction sets', () => {
  const x12Options = { ...options, layouts: loadSourceLayouts(), codeLists: CodeLists.none() };
  const text = readFileSync(
    join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i'),
    'utf8',
  );
  const record = text.slice(text.indexOf('ST*'), text.indexOf('GE*')).replace(/\r?\n/g, '');
  const context = {
    format: 'x12',
    separators: { element: '*', repetition: '^', component: ':', segment: '~' },
    interchangeControlNumber: '000000907',
    senderId: '000000005',
    receiverId: '54321',
    usageIndicator: 'T',
    functionalIdentifierCode: 'HC',
    groupControlNumber: '1',
    groupVersion: '005010X223A3',
    transactionSetId: '837',
    transactionControlNumber: '987654',
    implementationReference: '005010X223A3',
    firstSegmentNumber: 3,
  };
  function x12RawMessage(body: string): string {
    return JSON.stringify(
      rawRecordEvent({
        layout: 'x12.837i',
        record: body,
        recordNumber: 1,
        source: 'claims.837i',
        fileId: sha256Hex('x12 file'),
        publishedAt: '2026-01-01T00:00:00.000Z',
        claimId: null,
        header: JSON.stringify(context),
      }),
    );
  }

  it('emits one canonical event per claim of an 837 transaction set, each keyed by its own claim id', () => {
    const outcome = normalizeRawMessage(consumed(x12RawMessage(record)), x12Options);
    if (!('emitAll' in outcome)) throw new Error('expected several events');
    expect(outcome.emitAll.map((message) => message.key)).toEqual(['756048Q', '756049Q']);
    expect(outcome.emitAll.map((message) => lineageFromHeaders(message.headers)?.recordNumber)).toEqual([1, 1]);
  });

  it('dead-letters a transaction set whose claim fails the canonical check with NORMALIZED_EVENT_INVALID, naming fields only', () => {
    // Negative units on a claim that is no reversal: the 837 reads, its canonical claim is not valid.
    const outcome = normalizeRawMessage(
      consumed(x12RawMessage(record.replace('SV2*0730*HC:93005*76.56*UN*3.00', 'SV2*0730*HC:93005*76.56*UN*-3.00'))),
      x12Options,
    );
    expect(outcome).toMatchObject({
      deadLetter: {
        code: 'NORMALIZED_EVENT_INVALID',
        reason: expect.stringMatching(/^the normalized claim event has /),
      },
    });
    expect(JSON.stringify(outcome)).not.toContain('-3');
  });

  it('dead-letters a transaction set with an unreadable amount with X12_AMOUNT_INVALID, located and without the value', () => {
    const outcome = normalizeRawMessage(
      consumed(x12RawMessage(record.replace('CLM*756048Q*89.95', 'CLM*756048Q*8O.95'))),
      x12Options,
    );
    expect(outcome).toMatchObject({
      deadLetter: { code: 'X12_AMOUNT_INVALID', reason: 'CLM02 is not an amount (segment 21, element 2)' },
    });
  });
});

describe('normalizeRawMessage with an X12 transaction set that holds no claim', () => {
  it('dead-letters it with X12_NO_CLAIMS, so the record is still accounted for', () => {
    const text = readFileSync(
      join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i'),
      'utf8',
    ).replace(/\r?\n/g, '');
    const header = text.slice(text.indexOf('ST*'), text.indexOf('CLM*'));
    const raw = rawRecordEvent({
      layout: 'x12.837i',
      record: `${header}SE*18*987654~`,
      recordNumber: 1,
      source: 'claims.837i',
      fileId: sha256Hex('x12 file'),
      publishedAt: '2026-01-01T00:00:00.000Z',
      claimId: null,
      header: JSON.stringify({
        format: 'x12',
        separators: { element: '*', repetition: '^', component: ':', segment: '~' },
        interchangeControlNumber: '000000907',
        senderId: '000000005',
        receiverId: '54321',
        usageIndicator: 'T',
        functionalIdentifierCode: 'HC',
        groupControlNumber: '1',
        groupVersion: '005010X223A3',
        transactionSetId: '837',
        transactionControlNumber: '987654',
        implementationReference: '005010X223A3',
        firstSegmentNumber: 3,
      }),
    });
    const outcome = normalizeRawMessage(consumed(JSON.stringify(raw)), options);
    expect(outcome).toMatchObject({ deadLetter: { code: 'X12_NO_CLAIMS' } });
  });
});

describe('normalizeRawMessage with an 835 that carries provider-level adjustments (PLB)', () => {
  const x12Options = { ...options, layouts: loadSourceLayouts(), codeLists: CodeLists.none() };

  async function* once(text: string): AsyncGenerator<string> {
    yield text;
  }

  /** The raw messages the ingestor publishes for the transaction sets of an X12 text. */
  async function rawMessagesOf(text: string): Promise<string[]> {
    const messages: string[] = [];
    for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)))) {
      if (item.kind !== 'transaction') throw new Error(item.failure.error.message);
      const raw = rawRecordEvent({
        layout: x12LayoutOf(item.transaction),
        record: transactionSetText(item.transaction),
        recordNumber: item.transaction.recordNumber,
        source: 'remittance.835',
        fileId: sha256Hex('remittance file'),
        publishedAt: '2026-01-01T00:00:00.000Z',
        claimId: null,
        header: JSON.stringify(x12RecordContextOf(item.transaction)),
      });
      messages.push(JSON.stringify(raw));
    }
    return messages;
  }

  const medicarePartA = readFileSync(
    join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '835_005010X221A1', 'medicare-part-a.835'),
    'utf8',
  );
  const plbSegments = medicarePartA.split(/~\s*/).filter((segment) => segment.startsWith('PLB*'));

  it('emits the claims and, beside them, one provider-adjustment event per PLB pair keyed by PLB01', async () => {
    const [message] = await rawMessagesOf(medicarePartA);
    const outcome = normalizeRawMessage(consumed(message ?? null), x12Options);
    if (!('emitAll' in outcome)) throw new Error('expected events');
    expect(outcome.emitAll.map((emitted) => emitted.key)).toEqual(['666123', '777777']);
    const adjustments = outcome.providerAdjustments ?? [];
    expect(adjustments.map((emitted) => emitted.key)).toEqual(plbSegments.map((segment) => segment.split('*')[1]));
    for (const emitted of adjustments) {
      const event = ProviderAdjustmentEventSchema.parse(JSON.parse(emitted.value.toString()));
      expect(lineageFromHeaders(emitted.headers)).toEqual(event.lineage);
      expect(event.accountsForRecord).toBe(false);
    }
  });

  it('publishes an 835 of PLBs and no CLP as provider adjustments instead of dead-lettering it X12_NO_CLAIMS', async () => {
    // The sample's header, then its PLB alone: the claims (LX to the PLB) are cut out.
    const header = medicarePartA.slice(0, medicarePartA.indexOf('LX*'));
    const trailer = medicarePartA.slice(medicarePartA.indexOf('GE*'));
    const body = `${header}${plbSegments.join('~\n')}~\nSE*${10 + plbSegments.length}*1234~\n${trailer}`;
    const [message] = await rawMessagesOf(body);
    const outcome = normalizeRawMessage(consumed(message ?? null), x12Options);
    if (!('emitAll' in outcome)) throw new Error(`expected events, got ${JSON.stringify(outcome)}`);
    expect(outcome.emitAll).toEqual([]);
    const events = (outcome.providerAdjustments ?? []).map((emitted) =>
      ProviderAdjustmentEventSchema.parse(JSON.parse(emitted.value.toString())),
    );
    expect(events).toHaveLength(plbSegments.length);
    expect(events.every((event) => event.accountsForRecord)).toBe(true);
  });
});

describe('invalidClaimEventFailure (the full check before claims.normalized.v1, whose consumers trust it)', () => {
  const carrierEvent = () => {
    const outcome = normalizeRawMessage(consumed(rawMessage(firstRecord)), options);
    if (!('emit' in outcome)) throw new Error('expected an emitted event');
    return ClaimEventSchema.parse(JSON.parse(outcome.emit.value.toString()));
  };

  it('lets a carrier claim event through', () => {
    expect(invalidClaimEventFailure([carrierEvent()])).toBeNull();
  });

  it('refuses an event whose lines are not an array with NORMALIZED_EVENT_INVALID, naming the field only', () => {
    const broken = { ...carrierEvent(), claim: { ...carrierEvent().claim, lines: 'not lines' } };
    expect(invalidClaimEventFailure([carrierEvent(), broken as never])).toEqual({
      code: 'NORMALIZED_EVENT_INVALID',
      reason: 'the normalized claim event has invalid fields: claim.lines',
    });
  });
});
