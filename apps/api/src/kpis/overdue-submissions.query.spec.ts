import {
  encodeOverdueSubmissionsCursor,
  parseOverdueSubmissionsExportQuery,
  parseOverdueSubmissionsQuery,
} from './overdue-submissions.query';

const cursor = encodeOverdueSubmissionsCursor({
  asOf: '2024-03-10',
  payer: 'ACME',
  submittedOn: '2024-03-01',
  patientControlNumber: 'PCN-1',
  billingNpi: '1234567893',
});

const fieldsOf = (query: unknown): unknown => {
  try {
    parseOverdueSubmissionsQuery(query);
    return null;
  } catch (error) {
    return (error as { getResponse: () => { fields: string[] } }).getResponse().fields;
  }
};

describe('parseOverdueSubmissionsQuery', () => {
  it('lists every payer at the clock, 50 a page, by default', () => {
    expect(parseOverdueSubmissionsQuery({})).toEqual({ payer: null, asOf: null, limit: 50, after: null });
  });

  it('pages on from a cursor, in the list it was handed out for', () => {
    expect(parseOverdueSubmissionsQuery({ payer: 'ACME', cursor, limit: '2' })).toEqual({
      payer: 'ACME',
      asOf: '2024-03-10',
      limit: 2,
      after: { submittedOn: '2024-03-01', patientControlNumber: 'PCN-1', billingNpi: '1234567893' },
    });
  });

  it('refuses a cursor under another payer or as-of date, and one that was tampered with', () => {
    expect(fieldsOf({ cursor })).toEqual(['cursor', 'payer']);
    expect(fieldsOf({ payer: 'ACME', asOf: '2024-03-09', cursor })).toEqual(['cursor', 'asOf']);
    expect(fieldsOf({ cursor: `${cursor}x` })).toEqual(['cursor']);
  });

  it('reads back the cursor of a page ending on a long CLM01, whatever the 837 wrote', () => {
    const patientControlNumber = `PCN-${'7'.repeat(1500)}`;
    const longKey = encodeOverdueSubmissionsCursor({
      asOf: '2024-03-10',
      payer: null,
      submittedOn: '2024-03-01',
      patientControlNumber,
      billingNpi: '1234567893',
    });
    expect(parseOverdueSubmissionsQuery({ cursor: longKey }).after).toEqual({
      submittedOn: '2024-03-01',
      patientControlNumber,
      billingNpi: '1234567893',
    });
  });

  it('names a date that is not one, a page past 500 and an unknown filter', () => {
    expect(fieldsOf({ asOf: '2024-02-30', limit: '501', sort: 'payer' })).toEqual(['asOf', 'limit', 'sort']);
  });
});

describe('parseOverdueSubmissionsExportQuery', () => {
  it('exports up to 10,000 submissions by default and takes no cursor', () => {
    expect(parseOverdueSubmissionsExportQuery({ payer: 'ACME' })).toEqual({
      payer: 'ACME',
      asOf: null,
      limit: 10_000,
      after: null,
    });
    expect(() => parseOverdueSubmissionsExportQuery({ cursor })).toThrow();
  });
});
