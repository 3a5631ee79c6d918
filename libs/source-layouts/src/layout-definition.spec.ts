import { LayoutDefinitionError, parseLayoutDefinition } from './layout-definition';

const VALID = `
name: acme.claims
kind: claim
delimiter: ','
columns: [CLAIM_ID, MEMBER, DOS, STATUS, CPT, CHARGE]
fields:
  claimId: { column: CLAIM_ID }
  memberId: { column: MEMBER }
  claimType: { value: professional }
  eventType: { column: STATUS, translate: { map: { paid: adjudicated, held: pended } } }
  payer: { value: ACME }
  serviceFromDate: { column: DOS, type: date, format: MM/DD/YYYY }
lines:
  perRow: true
  fields:
    hcpcsCode: { column: CPT, type: code }
    chargeAmount: { column: CHARGE, type: amount }
    processingCategory: { value: unknown }
`;

function problemsOf(text: string): string[] {
  try {
    parseLayoutDefinition(text, 'layouts/acme.yaml');
  } catch (error) {
    if (error instanceof LayoutDefinitionError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('parseLayoutDefinition', () => {
  it('reads a valid mapping file', () => {
    const definition = parseLayoutDefinition(VALID, 'layouts/acme.yaml');
    expect(definition).toMatchObject({ name: 'acme.claims', kind: 'claim', delimiter: ',' });
    expect(definition.fields['claimId']).toEqual({ column: 'CLAIM_ID' });
  });

  it('reads the same definition written as JSON', () => {
    const json = JSON.stringify(parseLayoutDefinition(VALID, 'layouts/acme.yaml'));
    expect(parseLayoutDefinition(json, 'layouts/acme.json').name).toBe('acme.claims');
  });

  it('names the file and the key of a column the layout does not declare', () => {
    expect(problemsOf(VALID.replace('{ column: CLAIM_ID }', '{ column: CLAIMID }'))).toEqual([
      'layouts/acme.yaml: fields.claimId.column: unknown column "CLAIMID"',
    ]);
  });

  it('names a misspelt top-level key as unknown', () => {
    expect(problemsOf(VALID.replace("delimiter: ','", "delimiter: ','\ndelimter: ';'"))).toEqual([
      'layouts/acme.yaml: (root): unknown key "delimter"',
    ]);
  });

  it('names a field that is no canonical target as an unknown key of fields', () => {
    expect(problemsOf(VALID.replace('payer: { value: ACME }', 'payor: { value: ACME }'))).toEqual([
      'layouts/acme.yaml: fields: unknown key "payor"',
      'layouts/acme.yaml: fields.payer: required: map a column or give a value',
    ]);
  });

  it('refuses a translation to a value the target does not take', () => {
    expect(problemsOf(VALID.replace('held: pended', 'held: on_hold'))).toEqual([
      'layouts/acme.yaml: fields.eventType.translate.map.held: expected one of submitted, pended, cleared, adjudicated, acknowledged, rejected',
    ]);
  });

  it('refuses a date without a format and a format on a non-date', () => {
    expect(
      problemsOf(VALID.replace(', format: MM/DD/YYYY', '').replace('type: amount', 'type: amount, format: CCYYMMDD')),
    ).toEqual([
      'layouts/acme.yaml: fields.serviceFromDate.format: a date needs a format (CCYYMMDD, YYYY-MM-DD, MM/DD/YYYY, DD-Mon-YYYY)',
      'layouts/acme.yaml: lines.fields.chargeAmount.format: only dates take a format',
    ]);
  });

  it('refuses a declared type the target does not have', () => {
    expect(problemsOf(VALID.replace('type: code }', 'type: amount }'))).toEqual([
      'layouts/acme.yaml: lines.fields.hcpcsCode.type: this field is a code',
    ]);
  });

  it('refuses an unknown date format, naming the formats it knows', () => {
    const [problem] = problemsOf(VALID.replace('MM/DD/YYYY', 'DD.MM.YYYY'));
    expect(problem).toMatch(/^layouts\/acme\.yaml: fields\.serviceFromDate\.format: /);
  });

  it('requires every line to get a processing category, which the KPI fold counts', () => {
    expect(problemsOf(VALID.replace('    processingCategory: { value: unknown }\n', ''))).toEqual([
      'layouts/acme.yaml: lines.fields.processingCategory: required: map a column or give a value',
    ]);
  });

  it('refuses a numbered column without a count', () => {
    expect(problemsOf(VALID.replace('{ column: CPT, type: code }', "{ column: 'CPT_{n}', type: code }"))).toEqual([
      'layouts/acme.yaml: lines.fields.hcpcsCode.column: "{n}" in a column name needs a count (or lines.repeat)',
    ]);
  });

  it('refuses a layout name outside the pattern', () => {
    expect(problemsOf(VALID.replace('acme.claims', 'Acme Claims'))).toEqual([
      'layouts/acme.yaml: name: expected lower-case words joined by ".", "-" or "_"',
    ]);
  });

  it('says so when the text is not YAML at all', () => {
    const [problem] = problemsOf('name: [unclosed');
    expect(problem).toMatch(/^layouts\/acme\.yaml: not valid YAML: /);
  });

  it('refuses a key given twice', () => {
    const [problem] = problemsOf(`${VALID}\nname: other.claims\n`);
    expect(problem).toMatch(/^layouts\/acme\.yaml: not valid YAML: /);
  });
});

describe('parseLayoutDefinition code series', () => {
  it('refuses a procedure code system for diagnoses', () => {
    const text = VALID.replace('lines:', 'diagnoses:\n  - { column: CPT, system: ICD-10-PCS }\nlines:');
    expect(problemsOf(text)).toEqual(['layouts/acme.yaml: diagnoses.0: ICD-10-PCS is no diagnosis code system']);
  });
});
